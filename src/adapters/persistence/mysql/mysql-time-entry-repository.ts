import { keysetStream } from "../keyset-stream.js";
import type { RowDataPacket } from "mysql2/promise";
import type { EntryId, EntrySpan, NewTimeEntry, TimeEntry } from "../../../domain/time-entry.js";
import type { TimeRange } from "../../../domain/time-range.js";
import type { UserId } from "../../../domain/user.js";
import type {
  EntryChanges,
  EntryFilter,
  EntryPageQuery,
  TimeEntryRepository,
} from "../../../application/ports/time-entry-repository.js";
import { toSecond, type SqlRunner, type SqlValue } from "./mysql-database.js";

interface EntryRow extends RowDataPacket {
  id: number;
  user_id: number;
  category_id: number;
  category_name: string | null;
  start_time: Date;
  end_time: Date | null;
  note: string | null;
}

interface SpanRow extends RowDataPacket {
  id: number;
  start_time: Date;
  end_time: Date | null;
}

/**
 * How many rows `streamByUser` reads per statement. Small enough that a batch is usually garbage
 * before the next young-generation collection: with 1,000, batches lived through two and were
 * promoted, and each export of 100,000 entries grew the old generation by about 35 MB until the
 * next full collection. Measured no slower than 1,000 per statement.
 */
export const STREAM_BATCH_SIZE = 250;

/** The index that serves a user's entries in (start, id) order. */
export const USER_START_INDEX = "idx_time_entries_user_start";

/**
 * A LEFT JOIN, not an inner one: a database carried over from the seed without foreign keys may
 * hold an entry whose category is gone, and it is still listed (with an empty category name).
 */
const ENTRY_COLUMNS = "e.id, e.user_id, e.category_id, c.name AS category_name, e.start_time, e.end_time, e.note";
const SELECT_ENTRY = `SELECT ${ENTRY_COLUMNS} FROM time_entries e LEFT JOIN category c ON c.id = e.category_id`;

function toEntry(row: EntryRow): TimeEntry {
  return {
    id: row.id,
    userId: row.user_id,
    categoryId: row.category_id,
    categoryName: row.category_name ?? "",
    start: row.start_time,
    end: row.end_time,
    note: row.note,
  };
}

/** The one INSERT of an entry write (`start` and `end` already cut to whole seconds). */
export const INSERT_ENTRY_SQL =
  "INSERT INTO time_entries (user_id, category_id, start_time, end_time, note, created_at, updated_at) " +
  "VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())";

/**
 * The user's entries that could overlap `range` (all but `excludeId`), as a statement and its
 * parameters. Only what the overlap rule reads, unsorted (the caller sorts): the rows are few, and
 * the category join and the sort cost the server about a third of this statement, which every
 * entry write runs.
 */
export function overlapStatement(
  userId: UserId,
  range: TimeRange,
  excludeId: EntryId | null,
): { sql: string; params: SqlValue[] } {
  const where = ["user_id = ?", "(end_time IS NULL OR end_time > ?)"];
  const params: SqlValue[] = [userId, range.start];
  if (range.end !== null) {
    where.push("start_time < ?");
    params.push(range.end);
  }
  if (excludeId !== null) {
    where.push("id <> ?");
    params.push(excludeId);
  }
  return { sql: `SELECT id, start_time, end_time FROM time_entries WHERE ${where.join(" AND ")}`, params };
}

/**
 * One page of a user's entries as a statement and its parameters. Keyset, never OFFSET: the
 * position is a (start, id) pair and the index on (user_id, start_time, id) is walked from it, so
 * a page costs the same however many entries come before it.
 */
export function entryPageStatement(userId: UserId, query: EntryPageQuery): { sql: string; params: SqlValue[] } {
  const where = ["e.user_id = ?"];
  const params: SqlValue[] = [userId];
  if (query.after) {
    // Written out rather than as a row comparison so both servers turn it into an index range.
    where.push("e.start_time >= ? AND (e.start_time > ? OR e.id > ?)");
    params.push(query.after.start, query.after.start, query.after.id);
  }
  if (query.to) {
    where.push("e.start_time < ?");
    params.push(query.to);
  }
  if (query.from) {
    // Overlapping [from, ...): still running, or ending after `from`.
    where.push("(e.end_time IS NULL OR e.end_time > ?)");
    params.push(query.from);
  }
  if (query.categoryId !== null) {
    where.push("e.category_id = ?");
    params.push(query.categoryId);
  }
  params.push(String(query.limit));
  const sql =
    `SELECT ${ENTRY_COLUMNS} FROM time_entries e FORCE INDEX (${USER_START_INDEX}) ` +
    "LEFT JOIN category c ON c.id = e.category_id " +
    `WHERE ${where.join(" AND ")} ORDER BY e.start_time, e.id LIMIT ?`;
  return { sql, params };
}

export class MySqlTimeEntryRepository implements TimeEntryRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(entry: NewTimeEntry): Promise<TimeEntry> {
    const start = toSecond(entry.start);
    const end = entry.end === null ? null : toSecond(entry.end);
    const result = await this.db.change(INSERT_ENTRY_SQL, [entry.userId, entry.categoryId, start, end, entry.note]);
    // The row is exactly what was written; only its category's name is not in hand, and it is
    // read from the database, never remembered: a category may change outside this process.
    const categoryName = await this.readCategoryName(entry.categoryId);
    return { id: result.insertId, userId: entry.userId, categoryId: entry.categoryId, categoryName, start, end, note: entry.note };
  }

  private async readCategoryName(id: number): Promise<string> {
    const rows = await this.db.select<RowDataPacket & { name: string | null }>("SELECT name FROM category WHERE id = ?", [id]);
    return rows[0]?.name ?? "";
  }

  async findById(id: EntryId): Promise<TimeEntry | null> {
    const rows = await this.db.select<EntryRow>(`${SELECT_ENTRY} WHERE e.id = ?`, [id]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async findOverlapping(userId: UserId, range: TimeRange, excludeId: EntryId | null): Promise<EntrySpan[]> {
    const { sql, params } = overlapStatement(userId, range, excludeId);
    const rows = await this.db.select<SpanRow>(sql, params);
    return rows
      .map((row) => ({ id: row.id, start: row.start_time, end: row.end_time }))
      .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id - b.id);
  }

  async findRunning(userId: UserId): Promise<TimeEntry | null> {
    const rows = await this.db.select<EntryRow>(
      `${SELECT_ENTRY} WHERE e.user_id = ? AND e.end_time IS NULL ORDER BY e.start_time, e.id LIMIT 1`,
      [userId],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async update(id: EntryId, changes: EntryChanges): Promise<TimeEntry | null> {
    await this.db.change(
      "UPDATE time_entries SET category_id = ?, start_time = ?, end_time = ?, note = ?, updated_at = UTC_TIMESTAMP() " +
        "WHERE id = ?",
      [
        changes.categoryId,
        toSecond(changes.start),
        changes.end === null ? null : toSecond(changes.end),
        changes.note,
        id,
      ],
    );
    // Read back rather than trust affectedRows, which counts only rows whose values changed.
    return this.findById(id);
  }

  async remove(id: EntryId): Promise<boolean> {
    const result = await this.db.change("DELETE FROM time_entries WHERE id = ?", [id]);
    return result.affectedRows > 0;
  }

  async listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]> {
    const { sql, params } = entryPageStatement(userId, query);
    const rows = await this.db.select<EntryRow>(sql, params);
    return rows.map(toEntry);
  }

  /** Batch by batch, each its own statement: no connection is held while the consumer works. */
  streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry> {
    const { from, to, categoryId } = filter;
    return keysetStream((after, limit) => this.listByUser(userId, { from, to, categoryId, after, limit }), {
      batchSize: STREAM_BATCH_SIZE,
    });
  }
}
