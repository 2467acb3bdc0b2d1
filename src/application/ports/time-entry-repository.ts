import type { CategoryId } from "../../domain/category.js";
import type { ClientId, ProjectId } from "../../domain/project.js";
import type { TagId } from "../../domain/tag.js";
import type { EntryId, EntrySpan, NewTimeEntry, TimeEntry } from "../../domain/time-entry.js";
import type { TimeRange } from "../../domain/time-range.js";
import type { UserId } from "../../domain/user.js";

/** Keyset position in a user's entries, ordered by (start, id). */
export interface EntryPosition {
  readonly start: Date;
  readonly id: EntryId;
}

export interface EntryFilter {
  /** Entries overlapping [from, to); either bound may be absent. A running entry is open-ended. */
  readonly from: Date | null;
  readonly to: Date | null;
  readonly categoryId: CategoryId | null;
  /** The filters added with projects; absent or null: not filtered by it. */
  readonly projectId?: ProjectId | null;
  /** Entries on a project of this client. */
  readonly clientId?: ClientId | null;
  /** Entries having this tag. */
  readonly tagId?: TagId | null;
  readonly billable?: boolean | null;
}

export interface EntryPageQuery extends EntryFilter {
  /** Only entries strictly after this position. */
  readonly after: EntryPosition | null;
  readonly limit: number;
}

/** Every field of an entry but its owner: an update replaces them all; tags only when given. */
export type EntryChanges = Required<Omit<NewTimeEntry, "userId" | "tagIds">> & {
  /** Absent: the entry keeps its tags. */
  readonly tagIds?: readonly TagId[];
};

/** What a report reads of an entry: ids, not names (the report names its groups once). */
export interface ReportRow {
  readonly userId: UserId;
  readonly categoryId: CategoryId;
  readonly projectId: ProjectId | null;
  readonly clientId: ClientId | null;
  readonly billable: boolean;
  readonly hourlyRateCents: number | null;
  readonly start: Date;
  readonly end: Date | null;
  /** Only when asked for (grouping by tag); otherwise empty. */
  readonly tagIds: readonly TagId[];
}

export interface ReportQuery extends EntryFilter {
  /** Whose entries; null: everyone's. */
  readonly userIds: readonly UserId[] | null;
  /** Read each row's tag ids (else every row's are empty). */
  readonly withTags: boolean;
  /** Read each row's client (else null): a join that only the report by client needs. */
  readonly withClients: boolean;
}

/** What a report sums by in the store: a column of the entry, or the calendar buckets of a range. */
export type ReportSumsBy =
  | { readonly column: "category" | "project" | "client" | "user" }
  /** The buckets' boundaries in order, whole seconds: [b0, b1), [b1, b2), … ending at the range's `to`. */
  | { readonly boundaries: readonly Date[] };

export interface ReportSumsQuery extends EntryFilter {
  readonly from: Date;
  readonly to: Date;
  /** Whose entries; null: everyone's. */
  readonly userIds: readonly UserId[] | null;
  /** Where a running entry stops counting (whole seconds). */
  readonly now: Date;
  readonly by: ReportSumsBy;
}

/** One group's sums, each entry's time clipped to [from, to) and to `now`. */
export interface ReportGroupSums {
  /** The column's value (null: none), or the bucket's index in the boundaries. */
  readonly key: number | null;
  readonly seconds: number;
  /** Entries with more than zero seconds in the group. */
  readonly entries: number;
  readonly billableSeconds: number;
  /** Σ seconds × hourly rate in cents of the billable entries with a rate (cent-seconds, unrounded). */
  readonly earned: number;
}

/**
 * The part of an entry in several buckets that the store did not sum: all of it (clipped to the
 * range and `now`), or what lies past the end of the bucket it starts in when the store summed
 * the rest there.
 */
export interface ReportSpan {
  readonly start: Date;
  readonly end: Date;
  readonly billable: boolean;
  readonly hourlyRateCents: number | null;
}

export interface ReportSums {
  /** A key may come more than once (a store may sum in parts): its sums add up. */
  readonly groups: readonly ReportGroupSums[];
  /**
   * For buckets: the parts of entries the store did not sum (an entry's part past the bucket it
   * starts in, or the whole entry), for the caller to split. Empty for a column.
   */
  readonly spanning: readonly ReportSpan[];
}

export interface TimeEntryRepository {
  add(entry: NewTimeEntry): Promise<TimeEntry>;
  findById(id: EntryId): Promise<TimeEntry | null>;
  /**
   * The user's entries that overlap `range` (half-open; an open end means "and on"), running
   * entries included, without `excludeId`: their ids and spans, ordered by (start, id).
   */
  findOverlapping(userId: UserId, range: TimeRange, excludeId: EntryId | null): Promise<EntrySpan[]>;
  /** The user's running entry, if any (the oldest, should a carried-over database hold several). */
  findRunning(userId: UserId): Promise<TimeEntry | null>;
  /** Replaces the entry's fields; returns the stored entry, or null when it does not exist. */
  update(id: EntryId, changes: EntryChanges): Promise<TimeEntry | null>;
  /** Returns whether an entry was removed. */
  remove(id: EntryId): Promise<boolean>;
  /** One page of the user's entries, ordered by (start, id), oldest first. */
  listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]>;
  /** Every matching entry, ordered by (start, id), read from the store a batch at a time. */
  streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry>;
  /**
   * Every entry of the users (overlapping [from, to)) that matches the filter, in no promised
   * order, as compact rows read a batch at a time: one statement per batch for all the users,
   * never one per user. The batches are handed over whole: a year's report sums 250,000 rows,
   * and one await per row (rather than per batch) was most of its time in JavaScript.
   */
  streamForReport(query: ReportQuery): AsyncIterable<readonly ReportRow[]>;
  /**
   * The report's sums computed by the store in one statement: per column value, or per calendar
   * bucket. An entry within one bucket is summed there; of one in several (rare: at most one per
   * user and boundary when entries do not overlap), the part the store did not sum comes back as
   * a span for the caller to split, so the store needs no calendar. The same entries as
   * `streamForReport` selects.
   */
  sumForReport(query: ReportSumsQuery): Promise<ReportSums>;
}
