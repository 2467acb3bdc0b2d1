import { keysetStream } from "../keyset-stream.js";
import type { EntryId, NewTimeEntry, TimeEntry } from "../../../domain/time-entry.js";
import type { TimeRange } from "../../../domain/time-range.js";
import type { UserId } from "../../../domain/user.js";
import type {
  EntryChanges,
  EntryFilter,
  EntryPageQuery,
  TimeEntryRepository,
} from "../../../application/ports/time-entry-repository.js";
import type { Connection, SqlAccess } from "./sqlite-database.js";
import { fromEpochSeconds, fromNullableEpochSeconds, instantParam, toEpochSeconds } from "./sqlite-values.js";

/**
 * An entry row as an array, in the column order of SELECT below: better-sqlite3's raw mode, which
 * for reads of many rows costs about half of building an object per row.
 */
type EntryColumns = readonly [
  id: number,
  userId: number,
  categoryId: number,
  categoryName: string,
  start: number,
  end: number | null,
  note: string | null,
];

function toEntry([id, userId, categoryId, categoryName, start, end, note]: EntryColumns): TimeEntry {
  return {
    id,
    userId,
    categoryId,
    categoryName,
    start: fromEpochSeconds(start),
    end: fromNullableEpochSeconds(end),
    note,
  };
}

/** Entries read in one go by `streamByUser`: memory stays flat however many a user has. */
export const STREAM_BATCH_SIZE = 500;

// The column order is also EntryColumns'.
const SELECT = `
  SELECT e.id, e.user_id, e.category_id, c.name AS category_name, e.start_time, e.end_time, e.note
  FROM time_entries e JOIN category c ON c.id = e.category_id`;
const BY_ID = `${SELECT} WHERE e.id = ?`;
const RUNNING = `${SELECT} WHERE e.user_id = ? AND e.end_time IS NULL ORDER BY e.start_time, e.id LIMIT 1`;
const INSERT = "INSERT INTO time_entries (user_id, category_id, start_time, end_time, note) VALUES (?, ?, ?, ?, ?)";
const UPDATE = `
  UPDATE time_entries SET category_id = ?, start_time = ?, end_time = ?, note = ?, updated_at = unixepoch()
  WHERE id = ?`;
const DELETE = "DELETE FROM time_entries WHERE id = ?";

/** Which optional conditions a page query has; each shape is one fixed SQL text. */
export interface PageShape {
  readonly after: boolean;
  readonly from: boolean;
  readonly to: boolean;
  readonly category: boolean;
}

/**
 * The earliest start among the user's entries that end after @from or still run, read from the
 * covering index on (user_id, end_time, start_time): no entry before it can overlap [from, …).
 */
const EARLIEST_START_FROM = `
  (SELECT MIN(start_time) FROM (
     SELECT start_time FROM time_entries WHERE user_id = @userId AND end_time IS NULL
     UNION ALL
     SELECT start_time FROM time_entries WHERE user_id = @userId AND end_time > @from))`;

/**
 * One keyset page of a user's entries by (start_time, id): the index time_entries_user_start
 * gives the rows in order from the cursor on, with no OFFSET and no sort, so a page costs the
 * same on the first entry as on the millionth. A first page with `from` starts at the earliest
 * entry that can overlap it rather than at the user's first entry. Values are always bound
 * parameters; only which fixed conditions appear varies.
 */
export function entryPageSql(shape: PageShape): string {
  const where = ["e.user_id = @userId"];
  if (shape.after) where.push("(e.start_time, e.id) > (@afterStart, @afterId)");
  else if (shape.from) where.push(`e.start_time >= ${EARLIEST_START_FROM}`);
  if (shape.to) where.push("e.start_time < @to");
  if (shape.from) where.push("(e.end_time IS NULL OR e.end_time > @from)");
  if (shape.category) where.push("e.category_id = @categoryId");
  return `${SELECT} WHERE ${where.join(" AND ")} ORDER BY e.start_time, e.id LIMIT @limit`;
}

/**
 * The user's entries that share an instant with [@start, @end) (no end: and on), running ones
 * counted as open-ended, without one id. Both halves are range scans of the covering index on
 * (user_id, end_time, start_time): entries still running, and entries ending after @start. For a
 * new entry that is the user's latest few, however long their history.
 */
export function overlapSql(shape: { readonly end: boolean; readonly exclude: boolean }): string {
  const before = shape.end ? " AND start_time < @end" : "";
  const except = shape.exclude ? " AND e.id <> @excludeId" : "";
  return `${SELECT}
    WHERE e.id IN (
      SELECT id FROM time_entries WHERE user_id = @userId AND end_time IS NULL${before}
      UNION ALL
      SELECT id FROM time_entries WHERE user_id = @userId AND end_time > @start${before})${except}
    ORDER BY e.start_time, e.id`;
}

function byId(c: Connection, id: EntryId): TimeEntry | null {
  const row = c.rawStatement<EntryColumns>(BY_ID).get(id);
  return row ? toEntry(row) : null;
}

export class SqliteTimeEntryRepository implements TimeEntryRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(entry: NewTimeEntry): Promise<TimeEntry> {
    return this.sql.write((c) => {
      const { lastInsertRowid } = c
        .statement(INSERT)
        .run(
          entry.userId,
          entry.categoryId,
          toEpochSeconds(entry.start),
          entry.end === null ? null : toEpochSeconds(entry.end),
          entry.note,
        );
      const added = byId(c, Number(lastInsertRowid));
      if (!added) throw new Error(`The entry just added (${lastInsertRowid}) cannot be read back`);
      return added;
    });
  }

  findById(id: EntryId): Promise<TimeEntry | null> {
    return this.sql.read((c) => byId(c, id));
  }

  findOverlapping(userId: UserId, range: TimeRange, excludeId: EntryId | null): Promise<TimeEntry[]> {
    const sql = overlapSql({ end: range.end !== null, exclude: excludeId !== null });
    const params = {
      userId,
      start: instantParam(range.start),
      end: range.end === null ? null : instantParam(range.end),
      excludeId,
    };
    return this.sql.read((c) => c.rawStatement<EntryColumns>(sql).all(params).map(toEntry));
  }

  findRunning(userId: UserId): Promise<TimeEntry | null> {
    return this.sql.read((c) => {
      const row = c.rawStatement<EntryColumns>(RUNNING).get(userId);
      return row ? toEntry(row) : null;
    });
  }

  update(id: EntryId, changes: EntryChanges): Promise<TimeEntry | null> {
    return this.sql.write((c) => {
      const { changes: updated } = c
        .statement(UPDATE)
        .run(
          changes.categoryId,
          toEpochSeconds(changes.start),
          changes.end === null ? null : toEpochSeconds(changes.end),
          changes.note,
          id,
        );
      return updated === 0 ? null : byId(c, id);
    });
  }

  remove(id: EntryId): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE).run(id).changes > 0);
  }

  listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]> {
    const sql = entryPageSql({
      after: query.after !== null,
      from: query.from !== null,
      to: query.to !== null,
      category: query.categoryId !== null,
    });
    const params = {
      userId,
      afterStart: query.after ? instantParam(query.after.start) : null,
      afterId: query.after ? query.after.id : null,
      from: query.from ? instantParam(query.from) : null,
      to: query.to ? instantParam(query.to) : null,
      categoryId: query.categoryId,
      limit: query.limit,
    };
    return this.sql.read((c) => c.rawStatement<EntryColumns>(sql).all(params).map(toEntry));
  }

  /**
   * One keyset page at a time, each read on its own: no statement stays open between batches,
   * so the connection is free for other requests while the consumer (a CSV response) is slow.
   * SQLite answers synchronously, so without a pause a consumer that never waits (a summary)
   * would hold the event loop until the last batch; each batch after the first waits for the
   * loop's next turn instead, and requests in flight take turns.
   */
  /** SQLite answers synchronously: between batches, other requests get their turn. */
  streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry> {
    return keysetStream((after, limit) => this.listByUser(userId, { ...filter, after, limit }), {
      batchSize: STREAM_BATCH_SIZE,
      betweenBatches: () => new Promise((resolve) => setImmediate(resolve)),
    });
  }
}
