import { keysetStream } from "../keyset-stream.js";
import type { RowDataPacket } from "mysql2/promise";
import { sortByName } from "../../../domain/names.js";
import type { EntryId, EntrySpan, NewTimeEntry, TimeEntry } from "../../../domain/time-entry.js";
import type { TimeRange } from "../../../domain/time-range.js";
import type { UserId } from "../../../domain/user.js";
import type {
  EntryChanges,
  EntryFilter,
  EntryPageQuery,
  ReportQuery,
  ReportRow,
  ReportSums,
  ReportSumsQuery,
  TimeEntryRepository,
} from "../../../application/ports/time-entry-repository.js";
import { toSecond, type SqlRunner, type SqlValue } from "./mysql-database.js";
import { SUM_COLUMNS } from "../report-sums-sql.js";
import { recordEntryChange } from "./mysql-entry-changes.js";
import type { ChangeFeed, EntryChange, FeedPosition } from "../../../application/ports/change-feed.js";

/** A row of the entry statements (`SELECT_ENTRY`, `entryPageStatement`). */
export interface EntryRow extends RowDataPacket {
  id: number;
  user_id: number;
  category_id: number;
  category_name: string | null;
  start_time: Date;
  end_time: Date | null;
  note: string | null;
  project_id: number | null;
  project_name: string | null;
  client_name: string | null;
  billable: number;
  hourly_rate_cents: number | null;
  /** JSON_ARRAYAGG's answer: text on MariaDB, parsed JSON on MySQL 8; null for no tags. */
  tags: string | string[] | null;
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
const ENTRY_COLUMNS =
  "e.id, e.user_id, e.category_id, c.name AS category_name, e.start_time, e.end_time, e.note, " +
  "e.project_id, p.name AS project_name, cl.name AS client_name, e.billable, e.hourly_rate_cents, " +
  "(SELECT JSON_ARRAYAGG(t.name) FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = e.id) AS tags";
const ENTRY_JOINS =
  "LEFT JOIN category c ON c.id = e.category_id " +
  "LEFT JOIN projects p ON p.id = e.project_id LEFT JOIN clients cl ON cl.id = p.client_id";
const SELECT_ENTRY = `SELECT ${ENTRY_COLUMNS} FROM time_entries e ${ENTRY_JOINS}`;

const NO_TAGS: readonly string[] = Object.freeze([]);

function jsonArray<T>(value: string | T[] | null): T[] | null {
  if (value === null) return null;
  return typeof value === "string" ? (JSON.parse(value) as T[]) : value;
}

function toEntry(row: EntryRow): TimeEntry {
  const tags = jsonArray(row.tags);
  return {
    id: row.id,
    userId: row.user_id,
    categoryId: row.category_id,
    categoryName: row.category_name ?? "",
    start: row.start_time,
    end: row.end_time,
    note: row.note,
    projectId: row.project_id,
    projectName: row.project_name,
    clientName: row.client_name,
    billable: row.billable === 1,
    hourlyRateCents: row.hourly_rate_cents,
    tags: tags === null ? NO_TAGS : sortByName(tags, (name) => name),
  };
}

/** The filters beyond the time range, as conditions on `e` and their parameters, in order. */
function filterConditions(filter: EntryFilter): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.categoryId !== null) {
    where.push("e.category_id = ?");
    params.push(filter.categoryId);
  }
  if (filter.projectId != null) {
    where.push("e.project_id = ?");
    params.push(filter.projectId);
  }
  if (filter.clientId != null) {
    where.push("e.project_id IN (SELECT id FROM projects WHERE client_id = ?)");
    params.push(filter.clientId);
  }
  if (filter.tagId != null) {
    where.push("EXISTS (SELECT 1 FROM entry_tags ft WHERE ft.entry_id = e.id AND ft.tag_id = ?)");
    params.push(filter.tagId);
  }
  if (filter.billable != null) {
    where.push("e.billable = ?");
    params.push(filter.billable ? 1 : 0);
  }
  return { where, params };
}

/** The one INSERT of an entry write (`start` and `end` already cut to whole seconds). */
export const INSERT_ENTRY_SQL =
  "INSERT INTO time_entries (user_id, category_id, start_time, end_time, note, project_id, billable, hourly_rate_cents, " +
  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())";

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
  const filters = filterConditions(query);
  where.push(...filters.where);
  params.push(...filters.params, String(query.limit));
  const sql =
    `SELECT ${ENTRY_COLUMNS} FROM time_entries e FORCE INDEX (${USER_START_INDEX}) ${ENTRY_JOINS} ` +
    `WHERE ${where.join(" AND ")} ORDER BY e.start_time, e.id LIMIT ?`;
  return { sql, params };
}

interface ReportDbRow extends RowDataPacket {
  id: number;
  user_id: number;
  category_id: number;
  project_id: number | null;
  client_id: number | null;
  billable: number;
  hourly_rate_cents: number | null;
  start_time: Date;
  end_time: Date | null;
  tag_ids: string | number[] | null;
}

/** Report rows read per statement. */
export const REPORT_BATCH_SIZE = 2000;

/** Where a report's batch resumes: after this (user, start, id). */
interface ReportPosition {
  readonly userId: UserId;
  readonly start: Date;
  readonly id: EntryId;
}

/**
 * One batch of a report as a statement: the entries of the users (everyone's without a list)
 * that overlap [from, to) and match the filters, in (user_id, start_time, id) order so the index
 * on those columns serves every user of the list, resuming after `after`. The index is forced:
 * when the listed users hold most of the table, MariaDB 10.11 chose a full scan and sorted every
 * row of the users for the first batch (100 ms of a 250,000-row team report's 700 ms).
 */
export function reportStatement(
  query: ReportQuery & { readonly from: Date; readonly to: Date },
  after: ReportPosition | null,
): { sql: string; params: SqlValue[] } {
  const where = ["e.start_time < ?", "(e.end_time IS NULL OR e.end_time > ?)"];
  const params: SqlValue[] = [query.to, query.from];
  if (query.userIds !== null) {
    where.push(`e.user_id IN (${query.userIds.map(() => "?").join(", ")})`);
    params.push(...query.userIds);
  }
  if (after !== null) {
    where.push("(e.user_id > ? OR (e.user_id = ? AND (e.start_time > ? OR (e.start_time = ? AND e.id > ?))))");
    params.push(after.userId, after.userId, after.start, after.start, after.id);
  }
  const filters = filterConditions(query);
  where.push(...filters.where);
  params.push(...filters.params, String(REPORT_BATCH_SIZE));
  const tags = query.withTags ? "(SELECT JSON_ARRAYAGG(et.tag_id) FROM entry_tags et WHERE et.entry_id = e.id)" : "NULL";
  // The client is a join on projects per row: read only for the report by client.
  const sql =
    `SELECT e.id, e.user_id, e.category_id, e.project_id, ${query.withClients ? "p.client_id" : "NULL"} AS client_id, ` +
    `e.billable, e.hourly_rate_cents, e.start_time, e.end_time, ${tags} AS tag_ids ` +
    `FROM time_entries e FORCE INDEX (${USER_START_INDEX}) ` +
    (query.withClients ? "LEFT JOIN projects p ON p.id = e.project_id " : "") +
    `WHERE ${where.join(" AND ")} ORDER BY e.user_id, e.start_time, e.id LIMIT ?`;
  return { sql, params };
}

const NO_TAG_IDS: readonly number[] = Object.freeze([]);

/** TO_SECONDS('1970-01-01'): TO_SECONDS counts from year 0. */
const EPOCH_TO_SECONDS = 62_167_219_200;
/**
 * A DATETIME as seconds since the epoch, for every year DATETIME holds (UNIX_TIMESTAMP stops in
 * 2038 on some servers). TO_SECONDS cost MariaDB next to nothing over a scan of the index;
 * TIMESTAMPDIFF from the epoch added half again.
 */
const epoch = (column: string) => `(TO_SECONDS(${column}) - ${EPOCH_TO_SECONDS})`;

/** Seconds, entries, billable seconds and cent-seconds earned (a null rate earns nothing), of the clipped entries c. */
const SUMS =
  "SUM(f - s) AS seconds, COUNT(*) AS entries, SUM(CASE WHEN b = 1 THEN f - s ELSE 0 END) AS billable_seconds, " +
  "SUM(CASE WHEN b = 1 AND r IS NOT NULL THEN (f - s) * r ELSE 0 END) AS earned";

/** From this many users a report's sums are two statements at once (see `sumForReport`). */
const SPLIT_REPORT_FROM_USERS = 8;

interface SumDbRow extends RowDataPacket {
  group_key: number | null;
  seconds: string | number;
  entries: string | number;
  billable_seconds: string | number;
  earned: string | number;
  /** Buckets only: 1 when this row is one entry in more than one bucket, from span_start to span_end (epoch seconds). */
  spans: string | number;
  span_start?: string | number;
  span_end?: string | number;
  span_billable?: number;
  span_rate?: number | null;
}

/**
 * A report's sums as one statement, reading the entries once on the covering (user_id,
 * start_time, …) index: each entry clipped to [from, to) and a running one to now, as s and f
 * (epoch seconds), summing f − s. By a column: grouped by its value. By buckets: i is the bucket
 * of s and j that of f − 1 second, each found by INTERVAL(), the server's binary search over the
 * boundaries; an entry with i = j is summed in bucket i, one with i ≠ j is a group of its own
 * and comes back whole as a span for the caller to split.
 *
 * (Joining the entries to the buckets as a JSON_TABLE, as the SQLite adapter does, made MariaDB
 * 10.11 scan every entry once per bucket: it plans no per-bucket range for a table function.)
 */
export function reportSumsStatement(query: ReportSumsQuery): { sql: string; params: SqlValue[] } {
  const seconds = (date: Date) => toSecond(date).getTime() / 1000;
  const where = ["e.start_time < ?", "(e.end_time IS NULL OR e.end_time > ?)"];
  const whereParams: SqlValue[] = [query.to, query.from];
  if (query.userIds !== null) {
    where.push(`e.user_id IN (${query.userIds.map(() => "?").join(", ")})`);
    whereParams.push(...query.userIds);
  }
  const filters = filterConditions(query);
  where.push(...filters.where);
  whereParams.push(...filters.params);
  const { by } = query;
  const clipped =
    `SELECT e.id, ${"column" in by ? SUM_COLUMNS[by.column] : "NULL"} AS k, GREATEST(${epoch("e.start_time")}, ?) AS s, ` +
    `LEAST(COALESCE(${epoch("e.end_time")}, GREATEST(?, ${epoch("e.start_time")})), ?) AS f, ` +
    `e.billable AS b, e.hourly_rate_cents AS r FROM time_entries e FORCE INDEX (${USER_START_INDEX}) ` +
    ("column" in by && by.column === "client" ? "LEFT JOIN projects p ON p.id = e.project_id " : "") +
    `WHERE ${where.join(" AND ")}`;
  const clippedParams: SqlValue[] = [seconds(query.from), seconds(query.now), seconds(query.to), ...whereParams];
  if ("column" in by) {
    return { sql: `SELECT k AS group_key, ${SUMS}, 0 AS spans FROM (${clipped}) c WHERE f > s GROUP BY k`, params: clippedParams };
  }
  // INTERVAL(n, b1, …, bm) is 0 below b1, else the last k with bk ≤ n; one bucket needs no search.
  const inner = by.boundaries.slice(1, -1).map(seconds);
  const bucketOf = (value: string) => (inner.length === 0 ? "0" : `INTERVAL(${value}, ${inner.map(() => "?").join(", ")})`);
  const sql =
    `SELECT i AS group_key, ${SUMS}, MAX(i <> j) AS spans, MIN(s) AS span_start, MAX(f) AS span_end, ` +
    "MAX(b) AS span_billable, MAX(r) AS span_rate " +
    `FROM (SELECT id, s, f, b, r, ${bucketOf("s")} AS i, ${bucketOf("f - 1")} AS j FROM (${clipped}) c WHERE f > s) x ` +
    "GROUP BY i, CASE WHEN i <> j THEN id END";
  return { sql, params: [...inner, ...inner, ...clippedParams] };
}

function toReportSums(rows: readonly SumDbRow[]): ReportSums {
  const groups: ReportSums["groups"][number][] = [];
  const spanning: ReportSums["spanning"][number][] = [];
  for (const row of rows) {
    if (Number(row.spans) === 0) {
      groups.push({
        key: row.group_key === null ? null : Number(row.group_key),
        seconds: Number(row.seconds),
        entries: Number(row.entries),
        billableSeconds: Number(row.billable_seconds),
        earned: Number(row.earned),
      });
    } else {
      spanning.push({
        start: new Date(Number(row.span_start) * 1000),
        end: new Date(Number(row.span_end) * 1000),
        billable: Number(row.span_billable) === 1,
        hourlyRateCents: row.span_rate ?? null,
      });
    }
  }
  return { groups, spanning };
}

function toReportRow(row: ReportDbRow): ReportRow {
  return {
    userId: row.user_id,
    categoryId: row.category_id,
    projectId: row.project_id,
    clientId: row.client_id,
    billable: row.billable === 1,
    hourlyRateCents: row.hourly_rate_cents,
    start: row.start_time,
    end: row.end_time,
    tagIds: jsonArray(row.tag_ids) ?? NO_TAG_IDS,
  };
}

export class MySqlTimeEntryRepository implements TimeEntryRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(entry: NewTimeEntry): Promise<TimeEntry> {
    const start = toSecond(entry.start);
    const end = entry.end === null ? null : toSecond(entry.end);
    const result = await this.db.change(INSERT_ENTRY_SQL, [
      entry.userId,
      entry.categoryId,
      start,
      end,
      entry.note,
      entry.projectId ?? null,
      entry.billable ? 1 : 0,
      entry.hourlyRateCents ?? null,
    ]);
    await this.addTags(result.insertId, entry.tagIds ?? []);
    // Read back with the names of its category, project, client and tags: read from the
    // database, never remembered, as any of them may change outside this process.
    const added = await this.findById(result.insertId);
    if (!added) throw new Error(`The entry just added (${result.insertId}) cannot be read back`);
    await recordEntryChange(this.db, null, added);
    return added;
  }

  /** One statement for all of an entry's tags. */
  private async addTags(entryId: EntryId, tagIds: readonly number[]): Promise<void> {
    if (tagIds.length === 0) return;
    await this.db.change(
      `INSERT INTO entry_tags (entry_id, tag_id) VALUES ${tagIds.map(() => "(?, ?)").join(", ")}`,
      tagIds.flatMap((tagId) => [entryId, tagId]),
    );
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
    const before = await this.findById(id);
    await this.db.change(
      "UPDATE time_entries SET category_id = ?, start_time = ?, end_time = ?, note = ?, project_id = ?, billable = ?, " +
        "hourly_rate_cents = ?, updated_at = UTC_TIMESTAMP() WHERE id = ?",
      [
        changes.categoryId,
        toSecond(changes.start),
        changes.end === null ? null : toSecond(changes.end),
        changes.note,
        changes.projectId,
        changes.billable ? 1 : 0,
        changes.hourlyRateCents,
        id,
      ],
    );
    if (changes.tagIds !== undefined) {
      await this.db.change("DELETE FROM entry_tags WHERE entry_id = ?", [id]);
      await this.addTags(id, changes.tagIds);
    }
    // Read back rather than trust affectedRows, which counts only rows whose values changed.
    const after = await this.findById(id);
    if (before !== null && after !== null) await recordEntryChange(this.db, before, after);
    return after;
  }

  async remove(id: EntryId): Promise<boolean> {
    const before = await this.findById(id);
    if (before === null) return false;
    const result = await this.db.change("DELETE FROM time_entries WHERE id = ?", [id]);
    if (result.affectedRows === 0) return false;
    await recordEntryChange(this.db, before, null);
    return true;
  }

  async listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]> {
    const { sql, params } = entryPageStatement(userId, query);
    const rows = await this.db.select<EntryRow>(sql, params);
    return rows.map(toEntry);
  }

  /** Batch by batch, each its own statement: no connection is held while the consumer works. */
  streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry> {
    return keysetStream((after, limit) => this.listByUser(userId, { ...filter, after, limit }), {
      batchSize: STREAM_BATCH_SIZE,
    });
  }

  /** Batch by batch, each its own statement for every user of the report at once. */
  async *streamForReport(query: ReportQuery): AsyncIterable<readonly ReportRow[]> {
    const { from, to } = query;
    if (from === null || to === null) throw new Error("a report needs both ends of its range");
    if (query.userIds !== null && query.userIds.length === 0) return;
    let after: ReportPosition | null = null;
    for (;;) {
      const { sql, params } = reportStatement({ ...query, from, to }, after);
      const rows = await this.db.select<ReportDbRow>(sql, params);
      if (rows.length > 0) yield rows.map(toReportRow);
      const last = rows.at(-1);
      if (rows.length < REPORT_BATCH_SIZE || last === undefined) return;
      after = { userId: last.user_id, start: last.start_time, id: last.id };
    }
  }

  /**
   * A list of many users is summed as two statements over halves of it, on two connections at
   * once: one statement runs on one core of the server, and a team's year took about 600 ms
   * there (MariaDB 10.11, 250,000 entries), most of it per-row work that halves split evenly.
   * The halves are separate snapshots, as the report's row batches always were.
   */
  async sumForReport(query: ReportSumsQuery): Promise<ReportSums> {
    const { userIds } = query;
    if (userIds !== null && userIds.length === 0) return { groups: [], spanning: [] };
    const parts =
      userIds !== null && userIds.length >= SPLIT_REPORT_FROM_USERS
        ? [userIds.slice(0, userIds.length >> 1), userIds.slice(userIds.length >> 1)]
        : [userIds];
    const sums = await Promise.all(
      parts.map(async (part) => {
        const { sql, params } = reportSumsStatement({ ...query, userIds: part });
        return toReportSums(await this.db.select<SumDbRow>(sql, params));
      }),
    );
    return { groups: sums.flatMap((s) => s.groups), spanning: sums.flatMap((s) => s.spanning) };
  }
}

interface ChangeRow extends EntryRow {
  change_seq: number;
  change_entry_id: number;
  change_deleted: number;
}

interface PositionRow extends RowDataPacket {
  change_seq: number;
  changes_purged_seq: number;
}

/** One statement, so one snapshot: an upsert's entry is as it was when its change was the latest. */
export const CHANGES_AFTER =
  `SELECT ch.seq AS change_seq, ch.entry_id AS change_entry_id, ch.deleted AS change_deleted, ${ENTRY_COLUMNS} ` +
  `FROM entry_changes ch LEFT JOIN time_entries e ON e.id = ch.entry_id AND ch.deleted = 0 ${ENTRY_JOINS} ` +
  "WHERE ch.user_id = ? AND ch.seq > ? ORDER BY ch.seq LIMIT ?";

/** The change feed on MySQL: written by MySqlTimeEntryRepository's writes (recordEntryChange). */
export class MySqlChangeFeed implements ChangeFeed {
  constructor(
    private readonly db: SqlRunner,
    private readonly inTransaction: <T>(work: (runner: SqlRunner) => Promise<T>) => Promise<T>,
  ) {}

  async position(userId: UserId): Promise<FeedPosition | null> {
    const rows = await this.db.select<PositionRow>("SELECT change_seq, changes_purged_seq FROM users WHERE id = ?", [userId]);
    const row = rows[0];
    return row ? { current: Number(row.change_seq), purged: Number(row.changes_purged_seq) } : null;
  }

  async changesAfter(userId: UserId, afterSeq: number, limit: number): Promise<EntryChange[]> {
    const rows = await this.db.select<ChangeRow>(CHANGES_AFTER, [userId, afterSeq, String(limit)]);
    return rows.map((row): EntryChange => {
      const seq = Number(row.change_seq);
      return row.change_deleted === 1 || row.id === null
        ? { seq, op: "delete", id: row.change_entry_id }
        : { seq, op: "upsert", entry: toEntry(row) };
    });
  }

  /** Moves each user's purge mark and removes the old tombstones, in one transaction. */
  purgeDeletions(before: Date): Promise<number> {
    const cutoff = before.getTime();
    return this.inTransaction(async (runner) => {
      await runner.change(
        "UPDATE users u JOIN (SELECT user_id, MAX(seq) AS seq FROM entry_changes WHERE deleted = 1 AND changed_at < ? " +
          "GROUP BY user_id) old ON old.user_id = u.id SET u.changes_purged_seq = GREATEST(u.changes_purged_seq, old.seq)",
        [cutoff],
      );
      const result = await runner.change("DELETE FROM entry_changes WHERE deleted = 1 AND changed_at < ?", [cutoff]);
      return result.affectedRows;
    });
  }
}
