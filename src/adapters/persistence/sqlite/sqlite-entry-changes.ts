import { entryEvents, eventBit } from "../../../domain/webhook.js";
import type { TimeEntry } from "../../../domain/time-entry.js";
import { entrySnapshot } from "../entry-snapshot.js";
import { ANY_ENTRY_WEBHOOK_SQL, ENQUEUE_ENTRY_EVENT_SQL } from "../webhook-rows.js";
import type { Connection } from "./sqlite-database.js";

const NEXT_SEQ = "UPDATE users SET change_seq = change_seq + 1 WHERE id = ? RETURNING change_seq";
const RECORD_CHANGE = `
  INSERT INTO entry_changes (user_id, entry_id, seq, deleted, changed_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (user_id, entry_id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, changed_at = excluded.changed_at`;

/**
 * Records a write of an entry inside the write's own transaction: the next number of the user's
 * change sequence (the users row is the user's lock: numbers follow commit order), the entry's
 * change row (a tombstone when it is gone), and the outbox rows of the events it announces.
 * Every entry write of the SQLite store calls this; nothing else writes entries.
 */
export function recordEntryChange(c: Connection, before: TimeEntry | null, after: TimeEntry | null): void {
  const entry = after ?? before;
  if (entry === null) return;
  const now = Date.now();
  const row = c.statement<{ change_seq: number }>(NEXT_SEQ).get(entry.userId);
  if (!row) return; // the user is gone, and their entries with them
  c.statement(RECORD_CHANGE).run(entry.userId, entry.id, row.change_seq, after === null ? 1 : 0, now);
  const types = entryEvents(before, after);
  // Most users have no webhook: one indexed read then saves the payload and an INSERT … SELECT
  // per event (together about a fifth of an imported row's time). Read in this transaction, so no
  // webhook can appear between the check and the commit.
  if (types.length === 0 || c.statement(ANY_ENTRY_WEBHOOK_SQL).get(entry.userId) === undefined) return;
  const snapshot = entrySnapshot(entry);
  for (const type of types) {
    c.statement(ENQUEUE_ENTRY_EVENT_SQL).run(type, snapshot, now, now, entry.userId, eventBit(type));
  }
}
