import type { RowDataPacket } from "mysql2/promise";
import type { AttemptCounter, AttemptWindow } from "../../../application/ports/attempt-counter.js";
import type { MySqlDatabase } from "./mysql-database.js";

interface WindowRow extends RowDataPacket {
  hits: number;
  resets_at_ms: number | string;
}

// Assignments run left to right: `hits` is computed while resets_at_ms still holds the old window.
const HIT =
  "INSERT INTO attempt_counters (bucket, hits, resets_at_ms) VALUES (?, 1, ?) ON DUPLICATE KEY UPDATE " +
  "hits = IF(resets_at_ms <= ?, 1, hits + 1), " +
  "resets_at_ms = IF(resets_at_ms <= ?, VALUES(resets_at_ms), resets_at_ms)";
const READ = "SELECT hits, resets_at_ms FROM attempt_counters WHERE bucket = ?";

const toWindow = (row: WindowRow): AttemptWindow => ({ hits: Number(row.hits), resetsAt: new Date(Number(row.resets_at_ms)) });

/**
 * Fixed-window counters in attempt_counters. A hit is an upsert and a read in one transaction:
 * the upsert locks the row until COMMIT, so concurrent hits from any process are counted one
 * after the other and each reads its own count.
 */
export class MySqlAttemptCounter implements AttemptCounter {
  constructor(private readonly database: MySqlDatabase) {}

  async hit(bucket: string, windowSeconds: number, now: Date): Promise<AttemptWindow> {
    const nowMs = now.getTime();
    const connection = await this.database.acquireForTransaction();
    try {
      const sql = this.database.bound(connection);
      await sql.change(HIT, [bucket, nowMs + windowSeconds * 1000, nowMs, nowMs]);
      const [row] = await sql.select<WindowRow>(READ, [bucket]);
      await this.database.command(connection, "COMMIT");
      this.database.release(connection);
      return toWindow(row!);
    } catch (error) {
      await this.database.command(connection, "ROLLBACK").catch(() => undefined);
      this.database.release(connection, error);
      throw error;
    }
  }

  async peek(bucket: string, now: Date): Promise<AttemptWindow | null> {
    const [row] = await this.database.runner.select<WindowRow>(`${READ} AND resets_at_ms > ?`, [bucket, now.getTime()]);
    return row ? toWindow(row) : null;
  }

  async clear(bucket: string): Promise<void> {
    await this.database.runner.change("DELETE FROM attempt_counters WHERE bucket = ?", [bucket]);
  }

  async removeExpired(now: Date): Promise<number> {
    return (await this.database.runner.change("DELETE FROM attempt_counters WHERE resets_at_ms <= ?", [now.getTime()])).affectedRows;
  }
}
