import type { RowDataPacket } from "mysql2/promise";
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
  toClaimed,
  toDelivery,
  toWebhook,
  WEBHOOK_COLUMNS,
  webhookChangeSet,
  type ClaimedRow,
  type DeliveryRow,
  type WebhookRow,
} from "../webhook-rows.js";
import type { MySqlDatabase, SqlRunner } from "./mysql-database.js";
import { spoilsConnection, translateError } from "./mysql-errors.js";

/** Runs `work` in one transaction on a connection of its own (no scope lock: for housekeeping). */
export function transactionOn(database: MySqlDatabase) {
  return async <T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> => {
    const connection = await database.acquireForTransaction();
    try {
      const result = await work(database.bound(connection));
      await database.command(connection, "COMMIT");
      connection.release();
      return result;
    } catch (error) {
      const failure = translateError(error);
      if (spoilsConnection(failure)) connection.destroy();
      else {
        try {
          await database.command(connection, "ROLLBACK");
          connection.release();
        } catch {
          connection.destroy();
        }
      }
      throw failure;
    }
  };
}

type Row<T> = T & RowDataPacket;

const BY_ID = `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?`;

/**
 * Webhooks and the outbox on MySQL. A claim is `SELECT … FOR UPDATE SKIP LOCKED` in a short
 * transaction that moves the claimed rows' next attempt to the end of their lease: two workers
 * (in one process or in several) never claim one row for the same attempt.
 */
export class MySqlWebhookRepository implements WebhookRepository {
  private readonly transaction: ReturnType<typeof transactionOn>;

  constructor(
    private readonly db: SqlRunner,
    database: MySqlDatabase,
  ) {
    this.transaction = transactionOn(database);
  }

  async add(webhook: NewWebhook): Promise<Webhook> {
    const result = await this.db.change(
      INSERT_WEBHOOK_SQL,
      [
        webhook.userId,
        webhook.url,
        webhook.eventMask,
        webhook.description,
        webhook.allUsers ? 1 : 0,
        webhook.secret,
        webhook.createdAt.getTime(),
      ],
    );
    const added = await this.findById(result.insertId);
    if (!added) throw new Error("The webhook just added cannot be read back");
    return added;
  }

  async findById(id: WebhookId): Promise<Webhook | null> {
    const rows = await this.db.select<Row<WebhookRow>>(BY_ID, [id]);
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  async listByUser(userId: UserId): Promise<Webhook[]> {
    const rows = await this.db.select<Row<WebhookRow>>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE user_id = ? ORDER BY id`, [userId]);
    return rows.map(toWebhook);
  }

  async update(id: WebhookId, changes: WebhookChanges): Promise<Webhook | null> {
    const { set, values } = webhookChangeSet(changes);
    if (set.length > 0) await this.db.change(`UPDATE webhooks SET ${set.join(", ")} WHERE id = ?`, [...values, id]);
    return this.findById(id);
  }

  async remove(id: WebhookId): Promise<boolean> {
    return (await this.db.change("DELETE FROM webhooks WHERE id = ?", [id])).affectedRows > 0;
  }

  async deliveries(id: WebhookId, limit: number): Promise<Delivery[]> {
    const rows = await this.db.select<Row<DeliveryRow>>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`,
      [id, String(limit)],
    );
    return rows.map(toDelivery);
  }

  async enqueuePing(id: WebhookId, now: Date): Promise<void> {
    await this.db.change(
      ENQUEUE_PING_SQL,
      [now.getTime(), now.getTime(), id],
    );
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    // A plain read first: an idle worker's poll opens no transaction.
    const peek = await this.db.select<Row<{ id: number }>>(PEEK_DUE_SQL, [now.getTime()]);
    if (peek.length === 0) return [];
    return this.transaction(async (runner) => {
      const due = await runner.select<Row<{ id: number }>>(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? " +
          "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
        [now.getTime(), String(limit)],
      );
      if (due.length === 0) return [];
      const ids = due.map((row) => Number(row.id));
      const marks = ids.map(() => "?").join(", ");
      await runner.change(
        `UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN (${marks})`,
        [leaseUntil.getTime(), ...ids],
      );
      const rows = await runner.select<Row<ClaimedRow>>(
        `SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM} WHERE d.id IN (${marks}) ORDER BY d.id`,
        ids,
      );
      return rows.map((row) => toClaimed({ ...row, id: Number(row.id) }));
    });
  }

  /**
   * One statement for the round: the deliveries joined to a table of their outcomes. One
   * autocommit UPDATE per delivery cost each event with a webhook a statement of its own, and a
   * round's 20 at once held every connection of the pool the requests read on. A delivery gone
   * meanwhile (its webhook removed) matches no row.
   */
  async recordAttempts(attempts: readonly AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return;
    const outcomes = attempts
      .map((_, i) =>
        i === 0
          ? "SELECT ? AS id, ? AS status, ? AS next_attempt_at, ? AS last_status_code, ? AS last_error, ? AS delivered_at"
          : "SELECT ?, ?, ?, ?, ?, ?",
      )
      .join(" UNION ALL ");
    await this.db.change(
      `UPDATE webhook_deliveries d JOIN (${outcomes}) o ON o.id = d.id SET ` +
        "d.status = o.status, d.next_attempt_at = o.next_attempt_at, d.last_status_code = o.last_status_code, " +
        "d.last_error = o.last_error, d.delivered_at = o.delivered_at",
      attempts.flatMap(({ id, outcome, at }) => [id, ...attemptValues(outcome, at)]),
    );
  }

  /**
   * Through the (status, next_attempt_at) index: a finished delivery's next_attempt_at is its last
   * attempt. Ordered as that index is (so no sort), which makes the LIMIT deterministic, as
   * statement-based replication wants.
   */
  async purgeFinished(before: Date, limit: number): Promise<number> {
    const result = await this.db.change(
      "DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND next_attempt_at < ? " +
        "ORDER BY status, next_attempt_at LIMIT ?",
      [before.getTime(), String(limit)],
    );
    return result.affectedRows;
  }

  async pendingCount(): Promise<number> {
    const rows = await this.db.select<Row<{ n: number }>>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'");
    return Number(rows[0]?.n ?? 0);
  }
}
