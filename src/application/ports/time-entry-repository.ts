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
}
