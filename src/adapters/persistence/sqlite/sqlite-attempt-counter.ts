import type { AttemptCounter, AttemptWindow } from "../../../application/ports/attempt-counter.js";
import type { SqlAccess } from "./sqlite-database.js";

interface WindowRow {
  hits: number;
  resets_at_ms: number;
}

// One statement: SQLite has one writer, and the upsert reads and writes the row at once.
const HIT = `
  INSERT INTO attempt_counters (bucket, hits, resets_at_ms) VALUES (?, 1, ?)
  ON CONFLICT (bucket) DO UPDATE SET
    hits = CASE WHEN resets_at_ms <= ? THEN 1 ELSE hits + 1 END,
    resets_at_ms = CASE WHEN resets_at_ms <= ? THEN excluded.resets_at_ms ELSE resets_at_ms END
  RETURNING hits, resets_at_ms`;
const PEEK = "SELECT hits, resets_at_ms FROM attempt_counters WHERE bucket = ? AND resets_at_ms > ?";

const toWindow = (row: WindowRow): AttemptWindow => ({ hits: row.hits, resetsAt: new Date(row.resets_at_ms) });

/** Fixed-window counters in the attempt_counters table (milliseconds, so retry-after is exact). */
export class SqliteAttemptCounter implements AttemptCounter {
  constructor(private readonly sql: SqlAccess) {}

  hit(bucket: string, windowSeconds: number, now: Date): Promise<AttemptWindow> {
    const nowMs = now.getTime();
    return this.sql.write((c) => toWindow(c.statement<WindowRow>(HIT).get(bucket, nowMs + windowSeconds * 1000, nowMs, nowMs)!));
  }

  peek(bucket: string, now: Date): Promise<AttemptWindow | null> {
    return this.sql.read((c) => {
      const row = c.statement<WindowRow>(PEEK).get(bucket, now.getTime());
      return row ? toWindow(row) : null;
    });
  }

  async clear(bucket: string): Promise<void> {
    await this.sql.write((c) => c.statement("DELETE FROM attempt_counters WHERE bucket = ?").run(bucket));
  }

  removeExpired(now: Date): Promise<number> {
    return this.sql.write((c) => c.statement("DELETE FROM attempt_counters WHERE resets_at_ms <= ?").run(now.getTime()).changes);
  }
}
