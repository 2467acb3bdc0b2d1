import { entryEvents, eventBit } from "../../../domain/webhook.js";
import type { TimeEntry } from "../../../domain/time-entry.js";
import { entrySnapshot } from "../entry-snapshot.js";
import type { Connection } from "./sqlite-database.js";

const NEXT_SEQ = "UPDATE users SET change_seq = change_seq + 1 WHERE id = ? RETURNING change_seq";
const RECORD_CHANGE = `
  INSERT INTO entry_changes (user_id, entry_id, seq, deleted, changed_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (user_id, entry_id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, changed_at = excluded.changed_at`;
/**
 * One outbox row per matching webhook: the owner's own, and every all_users webhook whose
 * creator is still an active admin or owner.
 */
const ENQUEUE = `
  INSERT INTO webhook_deliveries (webhook_id, type, username, payload, status, attempts, next_attempt_at, created_at)
  SELECT w.id, ?, u.username, ?, 'pending', 0, ?, ? FROM webhooks w JOIN users u ON u.id = ? JOIN users o ON o.id = w.user_id
  WHERE w.active = 1 AND (w.events_mask & ?) <> 0
    AND (w.user_id = u.id OR (w.all_users = 1 AND o.active = 1 AND o.role IN ('owner', 'admin')))`;

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
  const snapshot = entrySnapshot(entry);
  for (const type of entryEvents(before, after)) {
    c.statement(ENQUEUE).run(type, snapshot, now, now, entry.userId, eventBit(type));
  }
}
