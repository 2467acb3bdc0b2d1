import type { CategoryId } from "../../domain/category.js";
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
}

export interface EntryPageQuery extends EntryFilter {
  /** Only entries strictly after this position. */
  readonly after: EntryPosition | null;
  readonly limit: number;
}

export interface EntryChanges {
  readonly categoryId: CategoryId;
  readonly start: Date;
  readonly end: Date | null;
  readonly note: string | null;
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
}
