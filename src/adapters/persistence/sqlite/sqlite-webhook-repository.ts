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
  PEEK_DUE_SQL,
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

  deliveries(id: WebhookId, limit: number): Promise<Delivery[]> {
    return this.sql.read((c) =>
      c
        .statement<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`)
        .all(id, limit)
        .map(toDelivery),
    );
  }

  async enqueuePing(id: WebhookId, now: Date): Promise<void> {
    await this.sql.write((c) =>
      c
        .statement(ENQUEUE_PING_SQL)
        .run(now.getTime(), now.getTime(), id),
    );
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    // A read first: an idle worker's poll does not take the write lock.
    const due = await this.sql.read((c) =>
      c.statement(PEEK_DUE_SQL).get(now.getTime()),
    );
    if (due === undefined) return [];
    return this.sql.write((c) => {
      const ids = c
        .statement<{ id: number }>(
          "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        )
        .all(now.getTime(), limit)
        .map((row) => row.id);
      if (ids.length === 0) return [];
      const list = JSON.stringify(ids);
      c.statement(
        "UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))",
      ).run(leaseUntil.getTime(), list);
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
    return this.sql.read(
      (c) => c.statement<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'").get()?.n ?? 0,
    );
  }
}
