import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatInstant } from "../../../domain/instant.js";
import { caller } from "../auth.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** Reports over the caller's entries, or those of users, a team or everyone they may see (behind the auth hook). */
export function reportRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/reports/summary",
      {
        schema: {
          tags: ["reports"],
          operationId: "summarizeTime",
          summary: "How much time went where, and what it earned: by category, project, client, tag, user, or by day, ISO week or month in a time zone",
          description:
            "Only the part of each entry inside [from, to) counts; entries are split at day, week and " +
            "month boundaries of `tz`; a running timer counts up to now. `to` − `from` is at most 366 days. " +
            "Whose time: the caller's (default), `user` (someone the caller may see), `team_id` (a team the " +
            "caller leads; admins: any) or `all_users=true` (admins). With `group_by=tag` an entry counts in " +
            "each of its tags' groups and once in the totals.",
          security: [{ bearer: [] }],
          querystring: S.SummaryQuery,
          response: { 200: ref(S.Summary), "4xx": problem, "5xx": problem },
        },
      },
      async (request) => {
        const query = request.query;
        const summary = await useCases.summarizeTime.execute({
          actor: caller(request),
          from: query.from,
          to: query.to,
          tz: query.tz,
          groupBy: query.group_by,
          user: query.user,
          teamId: query.team_id,
          allUsers: query.all_users,
          category: query.category,
          projectId: query.project_id,
          clientId: query.client_id,
          tag: query.tag,
          billable: query.billable,
        });
        return {
          from: formatInstant(summary.from),
          to: formatInstant(summary.to),
          tz: summary.tz,
          group_by: summary.groupBy,
          total_seconds: summary.totalSeconds,
          billable_seconds: summary.billableSeconds,
          amount_cents: summary.amountCents,
          currency: summary.currency,
          groups: summary.groups.map((group) => ({
            key: group.key,
            seconds: group.seconds,
            entries: group.entries,
            billable_seconds: group.billableSeconds,
            amount_cents: group.amountCents,
          })),
        };
      },
    );
  };
}
