import type { EntryId, TimeEntry } from "../../domain/time-entry.js";
import type { UserId } from "../../domain/user.js";

/**
 * One change of a user's entries, at its place in the user's change sequence. The sequence is
 * advanced in the unit of work that changes the entry, under the user's lock, so its order is the
 * order in which the changes committed; an entry changed several times has one change, its latest.
 */
export type EntryChange =
  | { readonly seq: number; readonly op: "upsert"; readonly entry: TimeEntry }
  | { readonly seq: number; readonly op: "delete"; readonly id: EntryId };

/** Where a user's change sequence stands. */
export interface FeedPosition {
  /** The last sequence number handed out (0: no change yet). */
  readonly current: number;
  /** Deletions up to this number were purged: a cursor before it may have missed one. */
  readonly purged: number;
}

/** The change feed the stores keep for incremental sync (written by the entry repositories). */
export interface ChangeFeed {
  /** Null when the user does not exist. */
  position(userId: UserId): Promise<FeedPosition | null>;
  /** The user's changes after `afterSeq`, oldest first, at most `limit`, read as one snapshot. */
  changesAfter(userId: UserId, afterSeq: number, limit: number): Promise<EntryChange[]>;
  /** Removes the deletions recorded before `before`, moving each user's purge mark; returns how many. */
  purgeDeletions(before: Date): Promise<number>;
}
