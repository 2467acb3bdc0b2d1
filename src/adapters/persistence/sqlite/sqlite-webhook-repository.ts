import type { UserId } from "../../../domain/user.js";
import type { Webhook, WebhookId } from "../../../domain/webhook.js";
import type {
  AttemptRecord,
  ClaimedDelivery,
  Delivery,
  NewWebhook,
  WebhookChanges,
  WebhookRepository,
} from "../../../application/ports/webhook-repository.js";
import {
  attemptValues,
  CLAIMED_COLUMNS,
  CLAIMED_FROM,
  DELIVERY_COLUMNS,
  ENQUEUE_PING_SQL,
  INSERT_WEBHOOK_SQL,
  RECORD_ATTEMPT_SET,
  toClaimed,
  toDelivery,
  toWebhook,
  WEBHOOK_COLUMNS,
  webhookChangeSet,
  type ClaimedRow,
  type DeliveryRow,
  type WebhookRow,
} from "../webhook-rows.js";
import type { Connection, SqlAccess } from "./sqlite-database.js";

const BY_ID = `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?`;

function byId(c: Connection, id: WebhookId): Webhook | null {
  const row = c.statement<WebhookRow>(BY_ID).get(id);
  return row ? toWebhook(row) : null;
}

// The outbox in two parts (migration 14), so that queueing an event writes no index entry.
// - Deliveries never tried (pending, attempts 0) lie past the claim cursor, found in id order:
//   every one at or below it has been tried, because rows are only ever added with higher ids
//   and a claim takes new ones in id order, moving the cursor to the last it took (but never
//   past one not yet due). Tried ones above it are passed over.
// - Deliveries tried and still pending are in the partial retry index, due at next_attempt_at
//   (their retry time, or their lease's end while a worker holds them). The claim and record
//   transactions of the worker write that index, a round at a time.
// After `copy-store` into SQLite the cursor is 0, and the first claim walks the table once.
const CURSOR = "(SELECT fresh_after FROM webhook_claim_cursor WHERE id = 1)";
const NEW_DELIVERIES = `webhook_deliveries WHERE id > ${CURSOR} AND status = 'pending' AND attempts = 0`;
const TRIED_PENDING = "webhook_deliveries WHERE status = 'pending' AND attempts > 0";
/** New deliveries are due when made (next_attempt_at): at once, unless another process's clock runs ahead. */
const FRESH = `SELECT id, next_attempt_at FROM ${NEW_DELIVERIES} ORDER BY id LIMIT ?`;
const RETRIES = `SELECT id, next_attempt_at FROM ${TRIED_PENDING} AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`;
/** Whether a claim would take anything (parameters: now, twice). */
const ANY_DUE =
  `SELECT 1 WHERE EXISTS (SELECT 1 FROM ${NEW_DELIVERIES} AND next_attempt_at <= ?) ` +
  `OR EXISTS (SELECT 1 FROM ${TRIED_PENDING} AND next_attempt_at <= ?)`;
/**
 * A webhook's latest deliveries (@id, @limit): the finished ones from the delivery log's partial
 * index (migration 15), the pending ones from the two parts above (the retry index named: with no
 * bound on its column the planner would read the whole table).
 */
const DELIVERY_LOG =
  `SELECT ${DELIVERY_COLUMNS} FROM (` +
  `SELECT * FROM (SELECT * FROM webhook_deliveries WHERE webhook_id = @id AND status <> 'pending' ORDER BY id DESC LIMIT @limit) ` +
  `UNION ALL SELECT * FROM ${NEW_DELIVERIES} AND webhook_id = @id ` +
  "UNION ALL SELECT * FROM webhook_deliveries INDEXED BY webhook_deliveries_retry " +
  "WHERE status = 'pending' AND attempts > 0 AND webhook_id = @id" +
  `) ORDER BY id DESC LIMIT @limit`;
const MOVE_CURSOR = "UPDATE webhook_claim_cursor SET fresh_after = max(fresh_after, ?) WHERE id = 1";
const PENDING_COUNT = `SELECT (SELECT count(*) FROM ${NEW_DELIVERIES}) + (SELECT count(*) FROM ${TRIED_PENDING}) AS n`;

interface DueRow {
  id: number;
  next_attempt_at: number;
}

/**
 * Where the cursor may move once the new deliveries up to `lastTaken` are claimed: past them,
 * but never past one not yet due (made by a process whose clock runs ahead), which stays new.
 */
function cursorAfter(scanned: readonly DueRow[], lastTaken: DueRow, now: number): number {
  const waiting = scanned.find((row) => row.next_attempt_at > now);
  return waiting !== undefined && waiting.id < lastTaken.id ? waiting.id - 1 : lastTaken.id;
}

/**
 * Up to `limit` ids of both lists, oldest due first (by next_attempt_at, then id), each list
 * taken in its own order: so the new deliveries taken are always the first `freshTaken` of them,
 * and the cursor may move past them without passing one not taken.
 */
function oldestFirst(fresh: readonly DueRow[], retries: readonly DueRow[], limit: number): { ids: number[]; freshTaken: number } {
  const ids: number[] = [];
  let f = 0;
  let r = 0;
  while (ids.length < limit) {
    const a = fresh[f];
    const b = retries[r];
    if (!a && !b) break;
    const takeFresh =
      a !== undefined &&
      (b === undefined || a.next_attempt_at < b.next_attempt_at || (a.next_attempt_at === b.next_attempt_at && a.id < b.id));
    if (takeFresh) {
      ids.push(a.id);
      f++;
    } else {
      ids.push((b as DueRow).id);
      r++;
    }
  }
  return { ids, freshTaken: f };
}

/** Webhooks and the outbox on SQLite; its one writer makes a claim exclusive across processes. */
export class SqliteWebhookRepository implements WebhookRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(webhook: NewWebhook): Promise<Webhook> {
    return this.sql.write((c) => {
      const { lastInsertRowid } = c
        .statement(INSERT_WEBHOOK_SQL)
        .run(
          webhook.userId,
          webhook.url,
          webhook.eventMask,
          webhook.description,
          webhook.allUsers ? 1 : 0,
          webhook.secret,
          webhook.createdAt.getTime(),
        );
      const added = byId(c, Number(lastInsertRowid));
      if (!added) throw new Error("The webhook just added cannot be read back");
      return added;
    });
  }

  findById(id: WebhookId): Promise<Webhook | null> {
    return this.sql.read((c) => byId(c, id));
  }

  listByUser(userId: UserId): Promise<Webhook[]> {
    return this.sql.read((c) =>
      c.statement<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE user_id = ? ORDER BY id`).all(userId).map(toWebhook),
    );
  }

  update(id: WebhookId, changes: WebhookChanges): Promise<Webhook | null> {
    const { set, values } = webhookChangeSet(changes);
    return this.sql.write((c) => {
      if (set.length > 0) c.statement(`UPDATE webhooks SET ${set.join(", ")} WHERE id = ?`).run(...values, id);
      return byId(c, id);
    });
  }

  remove(id: WebhookId): Promise<boolean> {
    return this.sql.write((c) => c.statement("DELETE FROM webhooks WHERE id = ?").run(id).changes > 0);
  }

  /** The newest finished ones from their index, with the pending ones found as a claim finds them. */
  deliveries(id: WebhookId, limit: number): Promise<Delivery[]> {
    return this.sql.read((c) => c.statement<DeliveryRow>(DELIVERY_LOG).all({ id, limit }).map(toDelivery));
  }

  async enqueuePing(id: WebhookId, now: Date): Promise<void> {
    await this.sql.write((c) =>
      c
        .statement(ENQUEUE_PING_SQL)
        .run(now.getTime(), now.getTime(), id),
    );
  }

  /**
   * The due deliveries, oldest first: new ones (past the claim cursor, in id order) merged with
   * those tried before whose lease or retry time has come (from the retry index). Each claimed
   * one is tried once more and leased; the cursor moves past the new ones claimed.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    // A read first: an idle worker's poll does not take the write lock.
    const due = await this.sql.read((c) => c.statement(ANY_DUE).get(now.getTime(), now.getTime()));
    if (due === undefined) return [];
    return this.sql.write((c) => {
      const scanned = c.statement<DueRow>(FRESH).all(limit);
      const fresh = scanned.filter((row) => row.next_attempt_at <= now.getTime());
      const retries = c.statement<DueRow>(RETRIES).all(now.getTime(), limit);
      const { ids, freshTaken } = oldestFirst(fresh, retries, limit);
      if (ids.length === 0) return [];
      const list = JSON.stringify(ids);
      c.statement(
        "UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))",
      ).run(leaseUntil.getTime(), list);
      const lastTaken = fresh[freshTaken - 1];
      if (lastTaken) c.statement(MOVE_CURSOR).run(cursorAfter(scanned, lastTaken, now.getTime()));
      return c
        .statement<ClaimedRow>(`SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM} WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id`)
        .all(list)
        .map(toClaimed);
    });
  }

  /** One transaction for the round: a commit (an fsync, holding the event loop) per attempt cost entry writes dearly. */
  async recordAttempts(attempts: readonly AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.sql.write((c) => {
      const update = c.statement(`UPDATE webhook_deliveries SET ${RECORD_ATTEMPT_SET} WHERE id = ?`);
      for (const { id, outcome, at } of attempts) update.run(...attemptValues(outcome, at), id);
    });
  }

  pendingCount(): Promise<number> {
    return this.sql.read((c) => c.statement<{ n: number }>(PENDING_COUNT).get()?.n ?? 0);
  }

  /** Through the partial index of finished deliveries (migration 15), by their last attempt. */
  purgeFinished(before: Date, limit: number): Promise<number> {
    return this.sql.write(
      (c) =>
        c
          .statement(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries " +
              "WHERE status <> 'pending' AND next_attempt_at < ? LIMIT ?)",
          )
          .run(before.getTime(), limit).changes,
    );
  }
}
