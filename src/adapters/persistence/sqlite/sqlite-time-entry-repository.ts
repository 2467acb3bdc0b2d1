import { keysetStream } from "../keyset-stream.js";
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
import type { Connection, SqlAccess } from "./sqlite-database.js";
import { SUM_COLUMNS, type SumColumn } from "../report-sums-sql.js";
import type { ChangeFeed, EntryChange, FeedPosition } from "../../../application/ports/change-feed.js";
import { recordEntryChange } from "./sqlite-entry-changes.js";
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
  projectId: number | null,
  projectName: string | null,
  clientName: string | null,
  billable: number,
  hourlyRateCents: number | null,
  /** A JSON array of the tags' names, or null for none. */
  tags: string | null,
];

const NO_TAGS: readonly string[] = Object.freeze([]);

/** Tag names from the row's JSON array, sorted as names sort. */
function tagsOf(json: string | null): readonly string[] {
  if (json === null) return NO_TAGS;
  return sortByName(JSON.parse(json) as string[], (name) => name);
}

function toEntry(row: EntryColumns): TimeEntry {
  const [id, userId, categoryId, categoryName, start, end, note, projectId, projectName, clientName, billable, rate, tags] =
    row;
  return {
    id,
    userId,
    categoryId,
    categoryName,
    start: fromEpochSeconds(start),
    end: fromNullableEpochSeconds(end),
    note,
    projectId,
    projectName,
    clientName,
    billable: billable === 1,
    hourlyRateCents: rate,
    tags: tagsOf(tags),
  };
}

/** Entries read in one go by `streamByUser`: memory stays flat however many a user has. */
export const STREAM_BATCH_SIZE = 500;

/** The entry's tag names as a JSON array, or NULL when it has none: one index probe per row. */
const TAGS_OF_ENTRY = `
  (SELECT json_group_array(t.name) FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = e.id
   HAVING count(*) > 0)`;

// The column order is also EntryColumns'.
const ENTRY_COLUMNS = `e.id, e.user_id, e.category_id, c.name AS category_name, e.start_time, e.end_time, e.note,
         e.project_id, p.name, cl.name, e.billable, e.hourly_rate_cents, ${TAGS_OF_ENTRY}`;
const SELECT = `
  SELECT ${ENTRY_COLUMNS}
  FROM time_entries e JOIN category c ON c.id = e.category_id
  LEFT JOIN projects p ON p.id = e.project_id LEFT JOIN clients cl ON cl.id = p.client_id`;
const BY_ID = `${SELECT} WHERE e.id = ?`;
const RUNNING = `${SELECT} WHERE e.user_id = ? AND e.end_time IS NULL ORDER BY e.start_time, e.id LIMIT 1`;
const INSERT = `
  INSERT INTO time_entries (user_id, category_id, start_time, end_time, note, project_id, billable, hourly_rate_cents)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
const UPDATE = `
  UPDATE time_entries SET category_id = ?, start_time = ?, end_time = ?, note = ?, project_id = ?, billable = ?,
    hourly_rate_cents = ?, updated_at = unixepoch()
  WHERE id = ?`;
const CLEAR_TAGS = "DELETE FROM entry_tags WHERE entry_id = ?";
const ADD_TAGS = "INSERT INTO entry_tags (entry_id, tag_id) SELECT ?, value FROM json_each(?)";

/** Replaces the entry's tags with `tagIds` (two statements, whatever their number). */
function setTags(c: Connection, entryId: EntryId, tagIds: readonly number[], replacing: boolean): void {
  if (replacing) c.statement(CLEAR_TAGS).run(entryId);
  if (tagIds.length > 0) c.statement(ADD_TAGS).run(entryId, JSON.stringify(tagIds));
}
const DELETE = "DELETE FROM time_entries WHERE id = ?";

/** Which of the filters beyond the time range a query has. */
export interface FilterShape {
  readonly category: boolean;
  readonly project: boolean;
  readonly client: boolean;
  readonly tag: boolean;
  readonly billable: boolean;
}

/** Which optional conditions a page query has; each shape is one fixed SQL text. */
export interface PageShape extends FilterShape {
  readonly after: boolean;
  readonly from: boolean;
  readonly to: boolean;
}

function filterShape(filter: EntryFilter): FilterShape {
  return {
    category: filter.categoryId !== null,
    project: (filter.projectId ?? null) !== null,
    client: (filter.clientId ?? null) !== null,
    tag: (filter.tagId ?? null) !== null,
    billable: (filter.billable ?? null) !== null,
  };
}

function filterParams(filter: EntryFilter) {
  return {
    categoryId: filter.categoryId,
    projectId: filter.projectId ?? null,
    clientId: filter.clientId ?? null,
    tagId: filter.tagId ?? null,
    billable: filter.billable === undefined || filter.billable === null ? null : Number(filter.billable),
  };
}

/** The conditions of the filters beyond the time range, on `e`, with named parameters. */
function filterConditions(shape: FilterShape): string[] {
  const where: string[] = [];
  if (shape.category) where.push("e.category_id = @categoryId");
  if (shape.project) where.push("e.project_id = @projectId");
  if (shape.client) where.push("e.project_id IN (SELECT id FROM projects WHERE client_id = @clientId)");
  if (shape.tag) where.push("EXISTS (SELECT 1 FROM entry_tags ft WHERE ft.entry_id = e.id AND ft.tag_id = @tagId)");
  if (shape.billable) where.push("e.billable = @billable");
  return where;
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
  where.push(...filterConditions(shape));
  return `${SELECT} WHERE ${where.join(" AND ")} ORDER BY e.start_time, e.id LIMIT @limit`;
}

/** A report row as an array, in the column order of reportSql. */
type ReportColumns = readonly [
  id: number,
  userId: number,
  categoryId: number,
  projectId: number | null,
  clientId: number | null,
  billable: number,
  hourlyRateCents: number | null,
  start: number,
  end: number | null,
  tagIds: string | null,
];

/**
 * One batch of a report: the entries of the users (all users without @userIds) that overlap
 * [@from, @to) and match the filters, keyset-ordered by (user_id, start_time, id) so the index on
 * those columns serves every user of the list in one statement.
 */
export function reportSql(
  shape: FilterShape & { readonly users: boolean; readonly after: boolean; readonly tags: boolean; readonly clients: boolean },
): string {
  const where = ["e.start_time < @to", "(e.end_time IS NULL OR e.end_time > @from)", ...filterConditions(shape)];
  if (shape.users) where.push("e.user_id IN (SELECT value FROM json_each(@userIds))");
  if (shape.after) where.push("(e.user_id, e.start_time, e.id) > (@afterUser, @afterStart, @afterId)");
  const tags = shape.tags
    ? "(SELECT json_group_array(tag_id) FROM entry_tags et WHERE et.entry_id = e.id HAVING count(*) > 0)"
    : "NULL";
  return `
    SELECT e.id, e.user_id, e.category_id, e.project_id, ${shape.clients ? "p.client_id" : "NULL"}, e.billable,
           e.hourly_rate_cents, e.start_time, e.end_time, ${tags}
    FROM time_entries e ${shape.clients ? "LEFT JOIN projects p ON p.id = e.project_id" : ""}
    WHERE ${where.join(" AND ")}
    ORDER BY e.user_id, e.start_time, e.id LIMIT @limit`;
}

/** Report rows read per statement. */
export const REPORT_BATCH_SIZE = 2000;

/** Where an entry stops counting: its end, or @now for a running one (its start if that is later). */
const G = "coalesce(e.end_time, max(@now, e.start_time))";
/** Its start clipped to @from. */
const S = "max(e.start_time, @from)";
/** Seconds, entries, billable seconds (billable is 0 or 1), and cent-seconds earned (a null rate earns nothing), of the rows' d. */
const SUMS = "json_array(sum(d), count(*), sum(d * billable), coalesce(sum(d * billable * rate), 0))";

/**
 * A report's sums as one statement (one snapshot) reading its entries once, on the covering
 * index of (user_id, start_time, …).
 *
 * By a column: grouped by its value. By buckets (@ranges, a JSON array of [lo, hi] epoch
 * seconds, the first lo far in the past so the entries begun before the range are in the first
 * bucket): each bucket is an index range per user on start_time, whose entries are summed up to
 * the bucket's end; what an entry has after it comes back as a span [hi, end) to be split among
 * the later buckets. No per-row search for the bucket: the buckets are the outer loop.
 *
 * Each entry's seconds d are computed once, in a subquery that LIMIT -1 keeps from being merged
 * into the outer query (merged, SQLite evaluated every use of them anew: twice the time); the
 * buckets are materialized, so their bounds are not read out of JSON once per entry.
 */
export function reportSumsSql(shape: FilterShape & { readonly users: boolean; readonly column: SumColumn | null }): string {
  const where = [
    shape.users ? "e.user_id IN (SELECT value FROM json_each(@userIds))" : "e.user_id IN (SELECT id FROM users)",
    "(e.end_time IS NULL OR e.end_time > @from)",
    ...filterConditions(shape),
  ].join(" AND ");
  const row = "e.billable AS billable, e.hourly_rate_cents AS rate";
  if (shape.column !== null) {
    const join = shape.column === "client" ? "LEFT JOIN projects p ON p.id = e.project_id" : "";
    return `
      SELECT k, ${SUMS}, NULL
      FROM (SELECT ${SUM_COLUMNS[shape.column]} AS k, ${row}, min(${G}, @to) - ${S} AS d
            FROM time_entries e ${join} WHERE e.start_time < @to AND ${where} LIMIT -1)
      WHERE d > 0 GROUP BY k`;
  }
  return `
    WITH b AS MATERIALIZED (SELECT key AS i, json_extract(value, '$[0]') AS lo, json_extract(value, '$[1]') AS hi FROM json_each(@ranges))
    SELECT i, ${SUMS}, json_group_array(json_array(min(g, @to), billable, rate)) FILTER (WHERE g > hi), hi
    FROM (SELECT b.i, b.hi, ${G} AS g, ${row}, min(${G}, b.hi) - ${S} AS d
          FROM b CROSS JOIN time_entries e
          WHERE e.start_time >= b.lo AND e.start_time < b.hi AND ${where} LIMIT -1)
    WHERE d > 0 GROUP BY i`;
}

/** Far enough back for any stored entry: the first bucket's lower bound. */
const BEFORE_ANY_ENTRY = -62_135_596_800;

type SumColumns = readonly [
  key: number | null,
  /** JSON [seconds, entries, billable seconds, earned]. */
  sums: string,
  /** Buckets only: JSON [[end, billable, rate], …] of the entries going on past the bucket's end… */
  spans: string | null,
  /** …which is this. */
  bucketEnd?: number,
];

function toReportSums(rows: readonly SumColumns[]): ReportSums {
  const groups: ReportSums["groups"][number][] = [];
  const spanning: ReportSums["spanning"][number][] = [];
  for (const [key, sums, spans, bucketEnd] of rows) {
    const [seconds, entries, billableSeconds, earned] = JSON.parse(sums) as [number, number, number, number];
    if (entries > 0) groups.push({ key, seconds, entries, billableSeconds, earned });
    if (spans === null || bucketEnd === undefined) continue;
    for (const [end, billable, rate] of JSON.parse(spans) as [number, number, number | null][]) {
      spanning.push({ start: fromEpochSeconds(bucketEnd), end: fromEpochSeconds(end), billable: billable === 1, hourlyRateCents: rate });
    }
  }
  return { groups, spanning };
}

const NO_TAG_IDS: readonly number[] = Object.freeze([]);

function toReportRow(row: ReportColumns): ReportRow {
  const [, userId, categoryId, projectId, clientId, billable, rate, start, end, tags] = row;
  return {
    userId,
    categoryId,
    projectId,
    clientId,
    billable: billable === 1,
    hourlyRateCents: rate,
    start: fromEpochSeconds(start),
    end: fromNullableEpochSeconds(end),
    tagIds: tags === null ? NO_TAG_IDS : (JSON.parse(tags) as number[]),
  };
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
  return `SELECT e.id, e.start_time, e.end_time FROM time_entries e
    WHERE e.id IN (
      SELECT id FROM time_entries WHERE user_id = @userId AND end_time IS NULL${before}
      UNION ALL
      SELECT id FROM time_entries WHERE user_id = @userId AND end_time > @start${before})${except}
    ORDER BY e.start_time, e.id`;
}

/** SQLite answers synchronously: between batches, other requests get their turn. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
          entry.projectId ?? null,
          entry.billable ? 1 : 0,
          entry.hourlyRateCents ?? null,
        );
      setTags(c, Number(lastInsertRowid), entry.tagIds ?? [], false);
      const added = byId(c, Number(lastInsertRowid));
      if (!added) throw new Error(`The entry just added (${lastInsertRowid}) cannot be read back`);
      recordEntryChange(c, null, added);
      return added;
    });
  }

  findById(id: EntryId): Promise<TimeEntry | null> {
    return this.sql.read((c) => byId(c, id));
  }

  findOverlapping(userId: UserId, range: TimeRange, excludeId: EntryId | null): Promise<EntrySpan[]> {
    const sql = overlapSql({ end: range.end !== null, exclude: excludeId !== null });
    const params = {
      userId,
      start: instantParam(range.start),
      end: range.end === null ? null : instantParam(range.end),
      excludeId,
    };
    return this.sql.read((c) =>
      c
        .rawStatement<readonly [number, number, number | null]>(sql)
        .all(params)
        .map(([id, start, end]) => ({ id, start: fromEpochSeconds(start), end: fromNullableEpochSeconds(end) })),
    );
  }

  findRunning(userId: UserId): Promise<TimeEntry | null> {
    return this.sql.read((c) => {
      const row = c.rawStatement<EntryColumns>(RUNNING).get(userId);
      return row ? toEntry(row) : null;
    });
  }

  update(id: EntryId, changes: EntryChanges): Promise<TimeEntry | null> {
    return this.sql.write((c) => {
      const before = byId(c, id);
      const { changes: updated } = c
        .statement(UPDATE)
        .run(
          changes.categoryId,
          toEpochSeconds(changes.start),
          changes.end === null ? null : toEpochSeconds(changes.end),
          changes.note,
          changes.projectId,
          changes.billable ? 1 : 0,
          changes.hourlyRateCents,
          id,
        );
      if (updated === 0) return null;
      if (changes.tagIds !== undefined) setTags(c, id, changes.tagIds, true);
      const after = byId(c, id);
      recordEntryChange(c, before, after);
      return after;
    });
  }

  remove(id: EntryId): Promise<boolean> {
    return this.sql.write((c) => {
      const before = byId(c, id);
      if (before === null || c.statement(DELETE).run(id).changes === 0) return false;
      recordEntryChange(c, before, null);
      return true;
    });
  }

  listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]> {
    const sql = entryPageSql({
      after: query.after !== null,
      from: query.from !== null,
      to: query.to !== null,
      ...filterShape(query),
    });
    const params = {
      userId,
      afterStart: query.after ? instantParam(query.after.start) : null,
      afterId: query.after ? query.after.id : null,
      from: query.from ? instantParam(query.from) : null,
      to: query.to ? instantParam(query.to) : null,
      ...filterParams(query),
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
  streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry> {
    return keysetStream((after, limit) => this.listByUser(userId, { ...filter, after, limit }), {
      batchSize: STREAM_BATCH_SIZE,
      betweenBatches: nextTurn,
    });
  }

  async *streamForReport(query: ReportQuery): AsyncIterable<readonly ReportRow[]> {
    if (query.from === null || query.to === null) throw new Error("a report needs both ends of its range");
    const base = {
      ...filterParams(query),
      from: instantParam(query.from),
      to: instantParam(query.to),
      userIds: query.userIds === null ? null : JSON.stringify(query.userIds),
      limit: REPORT_BATCH_SIZE,
    };
    const shape = { ...filterShape(query), users: query.userIds !== null, tags: query.withTags, clients: query.withClients };
    if (query.userIds !== null && query.userIds.length === 0) return;
    const { userIds } = query;
    let after: ReportColumns | undefined;
    for (;;) {
      if (after !== undefined) await nextTurn();
      const sql = reportSql({ ...shape, after: after !== undefined });
      const afterUser = after?.[1];
      const params: Record<string, unknown> =
        after === undefined || afterUser === undefined
          ? base
          : {
              ...base,
              // Only the users from the position's on: SQLite walks the index once per listed user
              // without seeking to the position, so with every user listed each batch stepped over
              // all the rows before it again (a 250,000-row report of 50 users read 2.5× slower in
              // batches than in one statement). The users before the position have no rows left.
              userIds: userIds === null ? null : JSON.stringify(userIds.filter((id) => id >= afterUser)),
              afterUser,
              afterStart: after[7],
              afterId: after[0],
            };
      const rows: ReportColumns[] = await this.sql.read((c) => c.rawStatement<ReportColumns>(sql).all(params));
      if (rows.length > 0) yield rows.map(toReportRow);
      const last = rows.at(-1);
      if (rows.length < REPORT_BATCH_SIZE || last === undefined) return;
      after = last;
    }
  }

  sumForReport(query: ReportSumsQuery): Promise<ReportSums> {
    if (query.userIds !== null && query.userIds.length === 0) return Promise.resolve({ groups: [], spanning: [] });
    const { by } = query;
    const sql = reportSumsSql({ ...filterShape(query), users: query.userIds !== null, column: "column" in by ? by.column : null });
    const params: Record<string, unknown> = {
      ...filterParams(query),
      from: toEpochSeconds(query.from),
      to: toEpochSeconds(query.to),
      now: toEpochSeconds(query.now),
      userIds: query.userIds === null ? null : JSON.stringify(query.userIds),
      ranges:
        "boundaries" in by
          ? JSON.stringify(
              by.boundaries
                .slice(0, -1)
                .map((lo, i) => [i === 0 ? BEFORE_ANY_ENTRY : toEpochSeconds(lo), toEpochSeconds(by.boundaries[i + 1] as Date)]),
            )
          : null,
    };
    return this.sql.read((c) => toReportSums(c.rawStatement<SumColumns>(sql).all(params)));
  }

}

/** A change row and, for an upsert, its entry's columns (null for a tombstone). */
type ChangeColumns = readonly [seq: number, entryId: number, deleted: number, ...entry: EntryColumns];

/** One statement, so one snapshot: an upsert's entry is as it was when its change was the latest. */
export const CHANGES_AFTER = `
  SELECT ch.seq, ch.entry_id, ch.deleted, ${ENTRY_COLUMNS}
  FROM entry_changes ch LEFT JOIN time_entries e ON e.id = ch.entry_id AND ch.deleted = 0
  LEFT JOIN category c ON c.id = e.category_id
  LEFT JOIN projects p ON p.id = e.project_id LEFT JOIN clients cl ON cl.id = p.client_id
  WHERE ch.user_id = ? AND ch.seq > ? ORDER BY ch.seq LIMIT ?`;
const POSITION = "SELECT change_seq, changes_purged_seq FROM users WHERE id = ?";
const MOVE_PURGE_MARK = `
  UPDATE users SET changes_purged_seq = max(changes_purged_seq,
    (SELECT max(seq) FROM entry_changes ch WHERE ch.user_id = users.id AND ch.deleted = 1 AND ch.changed_at < @before))
  WHERE id IN (SELECT user_id FROM entry_changes WHERE deleted = 1 AND changed_at < @before)`;
const PURGE = "DELETE FROM entry_changes WHERE deleted = 1 AND changed_at < @before";

/** The change feed on SQLite: written by SqliteTimeEntryRepository's writes (recordEntryChange). */
export class SqliteChangeFeed implements ChangeFeed {
  constructor(private readonly sql: SqlAccess) {}

  position(userId: UserId): Promise<FeedPosition | null> {
    return this.sql.read((c) => {
      const row = c.statement<{ change_seq: number; changes_purged_seq: number }>(POSITION).get(userId);
      return row ? { current: row.change_seq, purged: row.changes_purged_seq } : null;
    });
  }

  changesAfter(userId: UserId, afterSeq: number, limit: number): Promise<EntryChange[]> {
    return this.sql.read((c) =>
      c
        .rawStatement<ChangeColumns>(CHANGES_AFTER)
        .all(userId, afterSeq, limit)
        .map(([seq, entryId, deleted, ...entry]): EntryChange =>
          deleted === 1 || entry[0] === null ? { seq, op: "delete", id: entryId } : { seq, op: "upsert", entry: toEntry(entry) },
        ),
    );
  }

  purgeDeletions(before: Date): Promise<number> {
    return this.sql.write((c) => {
      c.statement(MOVE_PURGE_MARK).run({ before: before.getTime() });
      return c.statement(PURGE).run({ before: before.getTime() }).changes;
    });
  }
}
