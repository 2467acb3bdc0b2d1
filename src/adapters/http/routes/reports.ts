import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatInstant } from "../../../domain/instant.js";
import { caller } from "../auth.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** Reports over the caller's own entries (behind the auth hook). */
export function reportRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/reports/summary",
      {
        schema: {
          tags: ["reports"],
          operationId: "summarizeTime",
          summary: "How much time went where: by category, or by day, ISO week or month in a time zone",
          description:
            "Only the part of each entry inside [from, to) counts; entries are split at day, week and " +
            "month boundaries of `tz`; a running timer counts up to now. `to` − `from` is at most 366 days.",
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
        });
        return {
          from: formatInstant(summary.from),
          to: formatInstant(summary.to),
          tz: summary.tz,
          group_by: summary.groupBy,
          total_seconds: summary.totalSeconds,
          groups: summary.groups.map((group) => ({ key: group.key, seconds: group.seconds, entries: group.entries })),
        };
      },
    );
  };
}
