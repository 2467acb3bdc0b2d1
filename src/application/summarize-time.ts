import { Forbidden, TeamNotFound, UserNotFound, ValidationFailed } from "../domain/errors.js";
import { isWholeSecond, parseInstant, truncateToSecond } from "../domain/instant.js";
import { isAdmin } from "../domain/policy.js";
import {
  checkSummaryRange,
  DEFAULT_GROUPING,
  bucketEdges,
  DEFAULT_TIME_ZONE,
  groupBoundaries,
  isCalendarUnit,
  parseGrouping,
  parseTimeZone,
  summarize,
  summaryOfBucketSums,
  summaryOfNamedSums,
  type NamedGroups,
  type Summary,
  type SummaryGrouping,
} from "../domain/summary.js";
import type { UserId } from "../domain/user.js";
import { resolveFilter, type EntryFilterInput } from "./entry-query.js";
import { maySeeTimeOfUser, type Actor } from "./entry-support.js";
import type { ReportRow, ReportSumsQuery } from "./ports/time-entry-repository.js";
import type { Repositories } from "./ports/transactor.js";

export interface SummarizeTimeInput extends EntryFilterInput {
  readonly actor: Actor;
  readonly from: string;
  readonly to: string;
  /** An IANA zone name; UTC when absent. */
  readonly tz?: string | undefined;
  /** One of SUMMARY_GROUPINGS; category when absent. */
  readonly groupBy?: string | undefined;
  /** Whose time (at most one of the three; the caller's own when none is given). */
  readonly user?: string | undefined;
  readonly teamId?: number | undefined;
  readonly allUsers?: boolean | undefined;
}

/** The summary, with the parameters it was computed for. */
export interface TimeSummary extends Summary {
  readonly from: Date;
  readonly to: Date;
  readonly tz: string;
  readonly groupBy: SummaryGrouping;
  readonly currency: string;
}

/** Whose entries a report reads: user ids (null: everyone's), and their names when known. */
interface Whose {
  readonly userIds: readonly UserId[] | null;
  readonly names: ReadonlyMap<UserId, string>;
}

/** What a report reads: the entries and the names of what it groups by. */
export type ReportSources = Pick<Repositories, "entries" | "users" | "teams" | "categories" | "tags" | "projects" | "clients">;

const USERS_PER_READ = 1000;

/**
 * A summary of someone's time: the caller's own, a user's they may see, a team's (its lead or an
 * admin), or everyone's (an admin). However many users it covers, the entries are read by one
 * statement per batch for all of them, and every name is read once, not once per entry.
 */
export class SummarizeTime {
  constructor(
    private readonly sources: ReportSources,
    private readonly clock: { now(): Date },
    private readonly currency: string,
  ) {}

  async execute(input: SummarizeTimeInput): Promise<TimeSummary> {
    const from = parseInstant(input.from, "from");
    const to = parseInstant(input.to, "to");
    checkSummaryRange(from, to);
    const tz = parseTimeZone(input.tz ?? DEFAULT_TIME_ZONE);
    const groupBy = parseGrouping(input.groupBy ?? DEFAULT_GROUPING);
    const now = truncateToSecond(this.clock.now());
    const whose = await this.whose(input);
    const fields = await resolveFilter(this.sources.categories, this.sources.tags, input);

    const options = { from, to, tz, groupBy, now };
    const named = await this.namedGroups(groupBy, whose);
    const summed = fields === null ? null : await this.summedByStore({ from, to, now, ...fields, userIds: whose.userIds }, options, named);
    if (summed) return { from, to, tz, groupBy, currency: this.currency, ...summed };

    const rows: AsyncIterable<readonly ReportRow[]> =
      fields === null
        ? (async function* () {})()
        : this.sources.entries.streamForReport({
            from,
            to,
            ...fields,
            userIds: whose.userIds,
            withTags: groupBy === "tag",
            withClients: groupBy === "client",
          });
    const summary = await summarize(rows, options, named);
    return { from, to, tz, groupBy, currency: this.currency, ...summary };
  }

  /**
   * The summary from sums the store computes (a year of a team's entries becomes a few dozen
   * rows, not 250,000 read into JavaScript), or null where the rows must be read: by tag (an
   * entry counts in each of its tags, and once in the totals), and should a calendar boundary
   * not be a whole second (stores sum whole seconds; parsed ranges always are).
   */
  private async summedByStore(
    query: Omit<ReportSumsQuery, "by">,
    options: Parameters<typeof summarize>[1],
    named: NamedGroups<ReportRow> | undefined,
  ): Promise<Summary | null> {
    const { groupBy } = options;
    if (groupBy === "tag") return null;
    if (!isCalendarUnit(groupBy)) {
      if (!named) return null;
      const { groups } = await this.sources.entries.sumForReport({ ...query, by: { column: groupBy } });
      return summaryOfNamedSums(groups, (id) => named.nameOf(id));
    }
    const buckets = groupBoundaries(query.from, query.to, options.tz, groupBy);
    const boundaries = bucketEdges(buckets);
    if (!boundaries.every(isWholeSecond)) return null;
    const { groups, spanning } = await this.sources.entries.sumForReport({ ...query, by: { boundaries } });
    return summaryOfBucketSums(buckets, groups, spanning, options);
  }

  /** FORBIDDEN, USER_NOT_FOUND or TEAM_NOT_FOUND as API.md says, checked in that order of the parameters. */
  private async whose(input: SummarizeTimeInput): Promise<Whose> {
    const { actor } = input;
    const given = [input.user !== undefined, input.teamId !== undefined, input.allUsers === true].filter(Boolean).length;
    if (given > 1) throw new ValidationFailed("user", "give at most one of user, team_id and all_users");

    if (input.allUsers === true) {
      if (!isAdmin(actor.role)) throw new Forbidden("Only an admin can report on every user's time");
      return { userIds: null, names: new Map() };
    }
    if (input.teamId !== undefined) {
      const team = await this.sources.teams.findById(input.teamId);
      const membership = team?.members.find((member) => member.userId === actor.id);
      if (!team || (!membership && !isAdmin(actor.role))) throw new TeamNotFound(input.teamId);
      if (!isAdmin(actor.role) && !membership?.lead) throw new Forbidden("Only the team's leads and admins see its time");
      return {
        userIds: team.members.map((member) => member.userId),
        names: new Map(team.members.map((member) => [member.userId, member.username])),
      };
    }
    if (input.user !== undefined && input.user !== actor.username) {
      const owner = await this.sources.users.findByUsername(input.user);
      if (!owner) throw new UserNotFound(input.user);
      if (!(await maySeeTimeOfUser(this.sources.teams, actor, owner.id))) {
        throw new Forbidden("You may see your own time, and that of the members of teams you lead");
      }
      return { userIds: [owner.id], names: new Map([[owner.id, owner.username]]) };
    }
    return { userIds: [actor.id], names: new Map([[actor.id, actor.username]]) };
  }

  /** How rows fall into named groups, with every name read once; undefined for calendar groupings. */
  private async namedGroups(groupBy: SummaryGrouping, whose: Whose): Promise<NamedGroups<ReportRow> | undefined> {
    const named = (idsOf: (row: ReportRow) => readonly (number | null)[], names: ReadonlyMap<number, string>) => ({
      idsOf,
      nameOf: (id: string | number) => names.get(Number(id)) ?? "",
    });
    switch (groupBy) {
      case "category": {
        const categories = await this.sources.categories.list();
        return named((row) => [row.categoryId], new Map(categories.map((c) => [c.id, c.name])));
      }
      case "project": {
        const projects = await this.sources.projects.list({ clientId: null, includeArchived: true });
        return named((row) => (row.projectId === null ? [] : [row.projectId]), new Map(projects.map((p) => [p.id, p.name])));
      }
      case "client": {
        const clients = await this.sources.clients.list({ includeArchived: true });
        return named((row) => (row.clientId === null ? [] : [row.clientId]), new Map(clients.map((c) => [c.id, c.name])));
      }
      case "tag": {
        const tags = await this.sources.tags.list();
        return named((row) => row.tagIds, new Map(tags.map((t) => [t.id, t.name])));
      }
      case "user":
        return named((row) => [row.userId], whose.userIds === null ? await this.everyone() : whose.names);
      default:
        return undefined;
    }
  }

  /** Every user's name, a page at a time. */
  private async everyone(): Promise<Map<UserId, string>> {
    const names = new Map<UserId, string>();
    let afterId: UserId | null = null;
    for (;;) {
      const page = await this.sources.users.list({ afterId, limit: USERS_PER_READ });
      for (const user of page) names.set(user.id, user.username);
      const last = page.at(-1);
      if (page.length < USERS_PER_READ || !last) return names;
      afterId = last.id;
    }
  }
}
