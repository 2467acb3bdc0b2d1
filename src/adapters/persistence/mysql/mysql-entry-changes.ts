import { entryEvents, eventBit } from "../../../domain/webhook.js";
import type { TimeEntry } from "../../../domain/time-entry.js";
import { entrySnapshot } from "../entry-snapshot.js";
import { ENQUEUE_ENTRY_EVENT_SQL } from "../webhook-rows.js";
import type { SqlRunner } from "./mysql-database.js";

/**
 * Takes the next number of the user's change sequence: the UPDATE locks the user's row (the
 * user's unit-of-work lock), so numbers follow commit order; LAST_INSERT_ID(expr) hands the new
 * value back in the same round trip.
 */
const NEXT_SEQ = "UPDATE users SET change_seq = LAST_INSERT_ID(change_seq + 1) WHERE id = ?";
const RECORD_CHANGE =
  "INSERT INTO entry_changes (user_id, entry_id, seq, deleted, changed_at) VALUES (?, ?, ?, ?, ?) " +
  "ON DUPLICATE KEY UPDATE seq = VALUES(seq), deleted = VALUES(deleted), changed_at = VALUES(changed_at)";

/**
 * Records a write of an entry on the write's own runner (inside its transaction when the write
 * runs in a unit of work): the user's next change number, the entry's change row (a tombstone
 * when it is gone), and the outbox rows of the events it announces. Every entry write of the
 * MySQL store calls this.
 */
export async function recordEntryChange(db: SqlRunner, before: TimeEntry | null, after: TimeEntry | null): Promise<void> {
  const entry = after ?? before;
  if (entry === null) return;
  const now = Date.now();
  const bumped = await db.change(NEXT_SEQ, [entry.userId]);
  if (bumped.affectedRows === 0) return; // the user is gone, and their entries with them
  await db.change(RECORD_CHANGE, [entry.userId, entry.id, bumped.insertId, after === null ? 1 : 0, now]);
  const snapshot = entrySnapshot(entry);
  for (const type of entryEvents(before, after)) {
    await db.change(ENQUEUE_ENTRY_EVENT_SQL, [type, snapshot, now, now, entry.userId, eventBit(type)]);
  }
}
