import { performance } from "node:perf_hooks";
import argon2 from "argon2";
import mysql, { type PoolConnection, type RowDataPacket } from "mysql2/promise";
import {
  CHANGES_AFTER as MYSQL_CHANGES_AFTER,
  INSERT_ENTRY_SQL,
  overlapStatement,
  reportStatement,
} from "../src/adapters/persistence/mysql/mysql-time-entry-repository.js";
import { CHANGES_AFTER as SQLITE_CHANGES_AFTER, reportSql } from "../src/adapters/persistence/sqlite/sqlite-time-entry-repository.js";
import { LOCK_USER_SQL } from "../src/adapters/persistence/mysql/mysql-transactor.js";
import { ARGON2_OPTIONS } from "../src/adapters/security/argon2-password-hasher.js";
import { iso, slotStart, type SlotPlan } from "./api.js";
import { LatencyRecorder, runLoad, type LatencySummary } from "./load.js";
import { startChild } from "./processes.js";
import { MYSQL_POOL_SIZE, openSqlite, type PreparedStore } from "./stores.js";

/** What this machine does with nothing of ours in the way. */
export interface Ceiling {
  readonly name: "bare_http" | "raw_insert" | "raw_transaction" | "raw_page" | "raw_report" | "raw_sync" | "argon2";
  readonly rate: number;
  readonly unit: string;
  readonly concurrency: number;
  readonly seconds: number;
  readonly latency: LatencySummary | null;
  readonly detail: string;
}

/** A bare node:http server in its own process answering /health's JSON, loaded like /health. */
export async function bareHttpCeiling(connections: number, seconds: number, warmup: number): Promise<Ceiling> {
  const server = await startChild("bench/bare-server.ts", {}, { readyPath: "/health", timeoutMs: 30_000 });
  try {
    const url = `${server.url}/health`;
    if (warmup > 0) await runLoad({ url, connections, duration: warmup });
    const load = await runLoad({ url, connections, duration: seconds });
    if (load.non2xx > 0 || load.errors > 0) {
      throw new Error(`bare node:http: ${load.non2xx} non-2xx, ${load.errors} errors`);
    }
    return {
      name: "bare_http",
      rate: load.rps,
      unit: "req/s",
      concurrency: connections,
      seconds: load.seconds,
      latency: load.latency,
      detail: `node:http in a child process, ${connections} connections, the JSON of /health`,
    };
  } finally {
    await server.stop();
  }
}

/**
 * The first page of `limit` entries of one user, served by a bare node:http server in its own
 * process that runs the service's page statement on a raw mysql2 pool and writes the same JSON
 * with JSON.stringify (bench/raw-page-server.ts): what Node and mysql2 do with nothing of ours in
 * the way, loaded like the scenario. MySQL only; no target is set on it.
 */
export async function rawPageCeiling(
  store: PreparedStore,
  user: { readonly id: number; readonly username: string },
  limit: number,
  servicePage: string,
  connections: number,
  seconds: number,
  warmup: number,
): Promise<Ceiling> {
  if (store.storage !== "mysql") throw new Error("the raw page ceiling is for mysql");
  const server = await startChild(
    "bench/raw-page-server.ts",
    { ...store.env, PAGE_USER_ID: String(user.id), PAGE_USERNAME: user.username, PAGE_LIMIT: String(limit) },
    { readyPath: "/", timeoutMs: 30_000 },
  );
  try {
    const probe = await fetch(`${server.url}/`);
    const text = await probe.text();
    if (probe.status !== 200) throw new Error(`raw page server answered ${probe.status}: ${text.slice(0, 300)}`);
    const same = text === servicePage ? "byte for byte the service's page" : "NOT the same bytes as the service's page";
    const url = `${server.url}/`;
    if (warmup > 0) await runLoad({ url, connections, duration: warmup });
    const load = await runLoad({ url, connections, duration: seconds });
    if (load.non2xx > 0 || load.errors > 0) {
      throw new Error(`raw page: ${load.non2xx} non-2xx, ${load.errors} errors`);
    }
    return {
      name: "raw_page",
      rate: load.rps,
      unit: "pages/s",
      concurrency: connections,
      seconds: load.seconds,
      latency: load.latency,
      detail:
        `node:http in a child process: the service's page statement (limit ${limit}) on a raw mysql2 pool of ` +
        `${MYSQL_POOL_SIZE}, text protocol with DATETIMEs as strings, JSON.stringify; ` +
        `${Buffer.byteLength(text).toLocaleString("en-US")} bytes per page, ${same}`,
    };
  } finally {
    await server.stop();
  }
}

/** The libuv thread pool of a Node process started with our environment. */
export function libuvPoolSize(): number {
  const raw = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, 1024) : 4;
}

/** argon2id hashes per second with the service's parameters, as many at once as libuv has threads. */
export async function argon2Ceiling(seconds: number): Promise<Ceiling> {
  const concurrency = libuvPoolSize();
  const latencies = new LatencyRecorder();
  const deadline = performance.now() + seconds * 1000;
  let hashes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // Bounded by time and by count.
      for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
        const t0 = performance.now();
        await argon2.hash("bench-password-1", ARGON2_OPTIONS);
        latencies.add(performance.now() - t0);
        hashes++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    name: "argon2",
    rate: hashes / elapsed,
    unit: "hashes/s",
    concurrency,
    seconds: elapsed,
    latency: latencies.summary(),
    detail: `argon2id m=${ARGON2_OPTIONS.memoryCost} KiB t=${ARGON2_OPTIONS.timeCost} p=${ARGON2_OPTIONS.parallelism}, ${concurrency} at once (libuv pool)`,
  };
}

/** Columns the service fills in time_entries, from the live schema (created_at/updated_at when present). */
async function mysqlInsertSql(store: PreparedStore): Promise<string> {
  const pool = store.mysqlPool;
  if (!pool) throw new Error("no MySQL pool");
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'time_entries'",
  );
  const columns = new Set(rows.map((row) => String(row.name).toLowerCase()));
  for (const required of ["user_id", "category_id", "start_time", "end_time"]) {
    if (!columns.has(required)) throw new Error(`time_entries has no ${required} column`);
  }
  const names = ["user_id", "category_id", "start_time", "end_time"];
  const values = ["?", "?", "?", "?"];
  if (columns.has("note")) {
    names.push("note");
    values.push("?");
  }
  for (const stamp of ["created_at", "updated_at"]) {
    if (columns.has(stamp)) {
      names.push(stamp);
      values.push("UTC_TIMESTAMP()");
    }
  }
  return `INSERT INTO time_entries (${names.join(", ")}) VALUES (${values.join(", ")})`;
}

/**
 * The single INSERT of an entry on a raw mysql2 pool of the service's size, as fast as it goes,
 * into the service's own table (same indexes and foreign keys) for a user kept for this.
 */
export async function rawInsertCeiling(
  store: PreparedStore,
  userId: number,
  categoryId: number,
  plan: SlotPlan,
  seconds: number,
): Promise<Ceiling> {
  const latencies = new LatencyRecorder();
  if (store.storage === "mysql") {
    const pool = store.mysqlPool;
    if (!pool) throw new Error("no MySQL pool");
    const sql = await mysqlInsertSql(store);
    const hasNote = sql.includes("note");
    let slot = 0;
    let inserts = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: MYSQL_POOL_SIZE }, async () => {
        for (let i = 0; i < 10_000_000 && performance.now() < deadline; i++) {
          const start = slotStart(plan, slot++);
          const params: (number | string | null)[] = [
            userId,
            categoryId,
            iso(start).replace("T", " ").replace("Z", ""),
            iso(start + plan.lengthSeconds * 1000).replace("T", " ").replace("Z", ""),
          ];
          if (hasNote) params.push(null);
          const t0 = performance.now();
          await pool.execute(sql, params);
          latencies.add(performance.now() - t0);
          inserts++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return {
      name: "raw_insert",
      rate: inserts / elapsed,
      unit: "inserts/s",
      concurrency: MYSQL_POOL_SIZE,
      seconds: elapsed,
      latency: latencies.summary(),
      detail: `mysql2 pool of ${MYSQL_POOL_SIZE}, autocommit: ${sql}`,
    };
  }
  if (store.storage === "sqlite" && store.sqlitePath) {
    // The same file, one connection as the service's writer, each row its own committed transaction.
    const db = await openSqlite(store.sqlitePath);
    try {
      db.pragma("synchronous = FULL");
      const sql = "INSERT INTO time_entries (user_id, category_id, start_time, end_time, note) VALUES (?, ?, ?, ?, ?)";
      const insert = db.prepare(sql);
      let inserts = 0;
      const started = performance.now();
      const deadline = started + seconds * 1000;
      for (let batch = 0; batch < 10_000_000 && performance.now() < deadline; batch++) {
        const sliceEnd = Math.min(deadline, performance.now() + 20);
        while (performance.now() < sliceEnd) {
          const start = slotStart(plan, inserts);
          const t0 = performance.now();
          insert.run(userId, categoryId, start / 1000, start / 1000 + plan.lengthSeconds, null);
          latencies.add(performance.now() - t0);
          inserts++;
        }
        // Let timers and sockets breathe between slices.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const elapsed = (performance.now() - started) / 1000;
      return {
        name: "raw_insert",
        rate: inserts / elapsed,
        unit: "inserts/s",
        concurrency: 1,
        seconds: elapsed,
        latency: latencies.summary(),
        detail: `better-sqlite3, one connection, WAL, synchronous=FULL, autocommit: ${sql}`,
      };
    } finally {
      db.close();
    }
  }
  throw new Error(`no raw INSERT ceiling for ${store.storage}`);
}

/**
 * The service's own entry write without the service: the four statements its MySQL adapter runs
 * for one entry (lock the user's row, read the entries that could overlap, INSERT, COMMIT), taken
 * from the adapter, on a raw mysql2 pool of the service's size with autocommit off as the
 * adapter's transaction pool has it, each connection writing for a user of its own. What is left
 * between this and `entry_write` is HTTP, authentication, validation and the adapter's JavaScript;
 * what is left between this and `raw_insert` is the rules' statements. No target is set on it.
 */
export async function rawTransactionCeiling(
  store: PreparedStore,
  userIds: readonly number[],
  categoryId: number,
  plan: SlotPlan,
  seconds: number,
): Promise<Ceiling> {
  if (store.storage !== "mysql" || !store.mysqlPoolOptions) throw new Error("the raw transaction ceiling is for mysql");
  const pool = mysql.createPool(store.mysqlPoolOptions);
  pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00', autocommit = 0");
  });
  const latencies = new LatencyRecorder();
  let writes = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      userIds.map(async (userId) => {
        for (let slot = 0; slot < 10_000_000 && performance.now() < deadline; slot++) {
          const start = new Date(slotStart(plan, slot));
          const end = new Date(start.getTime() + plan.lengthSeconds * 1000);
          const t0 = performance.now();
          const connection = await pool.getConnection();
          await writeInTransaction(connection, userId, categoryId, start, end);
          connection.release();
          latencies.add(performance.now() - t0);
          writes++;
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    name: "raw_transaction",
    rate: writes / elapsed,
    unit: "writes/s",
    concurrency: userIds.length,
    seconds: elapsed,
    latency: latencies.summary(),
    detail:
      `the adapter's 4 statements of an entry write (lock user, overlap read, INSERT, COMMIT) on a raw mysql2 pool ` +
      `of ${MYSQL_POOL_SIZE}, autocommit off, ${userIds.length} users`,
  };
}

async function writeInTransaction(
  connection: PoolConnection,
  userId: number,
  categoryId: number,
  start: Date,
  end: Date,
): Promise<void> {
  try {
    await connection.execute(LOCK_USER_SQL, [userId]);
    const overlap = overlapStatement(userId, { start, end }, null);
    const [rows] = await connection.execute<RowDataPacket[]>(overlap.sql, overlap.params);
    if (rows.length > 0) throw new Error(`raw transaction: slot ${start.toISOString()} of user ${userId} is taken`);
    // No note, no project, not billable, no rate.
    await connection.execute(INSERT_ENTRY_SQL, [userId, categoryId, start, end, null, null, 0, null]);
    await connection.query("COMMIT");
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => undefined);
    connection.release();
    throw error;
  }
}

/** What the raw report ceiling reads: the users' entries overlapping [from, to). */
export interface ReportRead {
  readonly userIds: readonly number[];
  readonly from: Date;
  readonly to: Date;
  /** Rows the statement must return. */
  readonly rows: number;
}

/**
 * Runs `once` one after another for `seconds`, at least `atLeast` times and at most `maxRuns`,
 * after `warmup` seconds of unmeasured runs (`timed` false). Yields to the event loop between
 * measured runs: better-sqlite3 answers synchronously, and timers and sockets need their turn.
 */
async function repeatFor(
  once: (timed: boolean) => Promise<void>,
  seconds: number,
  warmup: number,
  atLeast: number,
  maxRuns: number,
): Promise<{ runs: number; elapsed: number }> {
  const warmEnd = performance.now() + warmup * 1000;
  while (performance.now() < warmEnd) await once(false);
  let runs = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  for (let i = 0; i < maxRuns && (i < atLeast || performance.now() < deadline); i++) {
    await once(true);
    runs++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { runs, elapsed: (performance.now() - started) / 1000 };
}

/** Runs `read` one after another for `seconds` (after `warmup` unmeasured), timing each. */
async function timeReads(
  read: () => Promise<number> | number,
  expectedRows: number,
  seconds: number,
  warmup: number,
): Promise<{ reads: number; elapsed: number; latencies: LatencyRecorder }> {
  const latencies = new LatencyRecorder();
  // At least three reads, however long each takes.
  const { runs, elapsed } = await repeatFor(
    async (timed) => {
      const t0 = performance.now();
      const rows = await read();
      if (!timed) return;
      latencies.add(performance.now() - t0);
      if (rows !== expectedRows) throw new Error(`raw report: ${rows} rows read, ${expectedRows} expected`);
    },
    seconds,
    warmup,
    3,
    1_000_000,
  );
  return { reads: runs, elapsed, latencies };
}

/**
 * The rows of a team report read with one statement on a bare driver, rows as arrays: the
 * adapter's own report statement (imported from it) without its batch limit, so every row comes
 * back at once, nothing decoded beyond what the driver does, nothing summed. One read at a time,
 * as the scenario asks for one report at a time; its p50 is what the scenario's p50 is set against.
 */
export async function rawReportCeiling(store: PreparedStore, query: ReportRead, seconds: number, warmup: number): Promise<Ceiling> {
  const measured = await measureReportReads(store, query, seconds, warmup);
  return {
    name: "raw_report",
    rate: measured.reads / measured.elapsed,
    unit: "reads/s",
    concurrency: 1,
    seconds: measured.elapsed,
    latency: measured.latencies.summary(),
    detail: `the adapter's report statement without its limit, one statement for all ${query.rows.toLocaleString("en-US")} rows, ${measured.how}`,
  };
}

async function measureReportReads(
  store: PreparedStore,
  query: ReportRead,
  seconds: number,
  warmup: number,
): Promise<Awaited<ReturnType<typeof timeReads>> & { how: string }> {
  if (store.storage === "mysql" && store.mysqlPool) {
    const pool = store.mysqlPool;
    const statement = reportStatement({ ...query, categoryId: null, withTags: false, withClients: false }, null);
    if (!statement.sql.endsWith("LIMIT ?")) throw new Error("the report statement should end with its batch limit");
    // Every row at once: the batch limit raised beyond the rows there are. The text protocol inlines
    // the values, so LIMIT gets a number there where the adapter binds a string.
    const bound = statement.params.slice(0, -1);
    const protocols = {
      binary: async () =>
        (await pool.execute<RowDataPacket[]>({ sql: statement.sql, rowsAsArray: true }, [...bound, String(Number.MAX_SAFE_INTEGER)]))[0].length,
      text: async () =>
        (await pool.query<RowDataPacket[]>({ sql: statement.sql, rowsAsArray: true }, [...bound, Number.MAX_SAFE_INTEGER]))[0].length,
    };
    // Both of mysql2's protocols, briefly, and the faster one for the measurement.
    const trial = Math.min(2, Math.max(0.5, seconds / 5));
    const binary = (await timeReads(protocols.binary, query.rows, trial, 0)).latencies.summary().p50;
    const text = (await timeReads(protocols.text, query.rows, trial, 0)).latencies.summary().p50;
    const fastest = binary <= text ? "binary" : "text";
    const how =
      `mysql2 ${fastest === "binary" ? "execute (binary protocol)" : "query (text protocol)"} with rowsAsArray and DATETIMEs as Dates ` +
      `(trial p50: binary ${binary.toFixed(0)} ms, text ${text.toFixed(0)} ms)`;
    return { ...(await timeReads(protocols[fastest], query.rows, seconds, warmup)), how };
  }
  if (store.storage === "sqlite" && store.sqlitePath) {
    const db = await openSqlite(store.sqlitePath, { readonly: true });
    try {
      const shape = { category: false, project: false, client: false, tag: false, billable: false, users: true, after: false, tags: false, clients: false };
      const statement = db.prepare(reportSql(shape)).raw(true);
      // LIMIT -1: no limit.
      const params = { from: query.from.getTime() / 1000, to: query.to.getTime() / 1000, userIds: JSON.stringify(query.userIds), limit: -1 };
      const how = "better-sqlite3 raw (rows as arrays), its own read-only connection on the service's file";
      return { ...(await timeReads(() => statement.all(params).length, query.rows, seconds, warmup)), how };
    } finally {
      db.close();
    }
  }
  throw new Error(`no raw report ceiling for ${store.storage}`);
}

/** What the raw sync ceiling reads: one user's whole change feed, from the start, in pages of `limit`. */
export interface SyncRead {
  readonly userId: number;
  readonly limit: number;
  /** Changes the walk must return. */
  readonly changes: number;
}

/**
 * A sync client's catch-up without the service: the change-feed adapter's own statement (imported
 * from it) on a bare driver, rows as arrays, one page after another by keyset on the change
 * number, each page `limit + 1` rows as the adapter reads them (the extra row says whether there
 * is more), until the feed ends; walk after walk for the scenario's time (after `warmup`
 * unmeasured), checking each walk's count. Nothing is decoded beyond what the driver does.
 */
export async function rawSyncCeiling(store: PreparedStore, read: SyncRead, seconds: number, warmup: number): Promise<Ceiling> {
  let page: (afterSeq: number) => Promise<unknown[][]> | unknown[][];
  let how: string;
  let close = async (): Promise<void> => undefined;
  if (store.storage === "mysql" && store.mysqlPool) {
    const pool = store.mysqlPool;
    if (!MYSQL_CHANGES_AFTER.trim().endsWith("LIMIT ?")) throw new Error("the change-feed statement should end with its limit");
    // The adapter's binding: execute (binary protocol), the limit as a string, DATETIMEs as Dates.
    const sql = { sql: MYSQL_CHANGES_AFTER, rowsAsArray: true };
    page = async (afterSeq) =>
      (await pool.execute<RowDataPacket[]>(sql, [read.userId, afterSeq, String(read.limit + 1)]))[0] as unknown as unknown[][];
    how = `mysql2 execute (binary protocol, as the adapter) with rowsAsArray, the run's pool`;
  } else if (store.storage === "sqlite" && store.sqlitePath) {
    const db = await openSqlite(store.sqlitePath, { readonly: true });
    const statement = db.prepare(SQLITE_CHANGES_AFTER).raw(true);
    page = (afterSeq) => statement.all(read.userId, afterSeq, read.limit + 1) as unknown[][];
    how = "better-sqlite3 raw (rows as arrays), its own read-only connection on the service's file";
    close = async () => {
      db.close();
    };
  } else {
    throw new Error(`no raw sync ceiling for ${store.storage}`);
  }
  const latencies = new LatencyRecorder();
  const walk = async (timed: boolean): Promise<number> => {
    let after = 0;
    let changes = 0;
    for (let pages = 0; pages < 1_000_000; pages++) {
      const t0 = performance.now();
      const rows = await page(after);
      if (timed) latencies.add(performance.now() - t0);
      const shown = Math.min(rows.length, read.limit);
      changes += shown;
      if (rows.length <= read.limit) return changes;
      // The first column is the change's number: the next page starts after the last one shown.
      after = Number((rows[shown - 1] as unknown[])[0]);
    }
    throw new Error("raw sync: more than a million pages");
  };
  try {
    let changes = 0;
    // At least one walk, however long it takes.
    const { runs: walks, elapsed } = await repeatFor(
      async (timed) => {
        const count = await walk(timed);
        if (!timed) return;
        if (count !== read.changes) throw new Error(`raw sync: a walk read ${count} changes, ${read.changes} expected`);
        changes += count;
      },
      seconds,
      warmup,
      1,
      10_000,
    );
    return {
      name: "raw_sync",
      rate: changes / elapsed,
      unit: "changes/s",
      concurrency: 1,
      seconds: elapsed,
      latency: latencies.summary(),
      detail:
        `the change-feed adapter's statement, pages of ${read.limit} (+1) by keyset on seq, ${walks} walk(s) of ` +
        `${read.changes.toLocaleString("en-US")} changes, one page at a time; ${how}`,
    };
  } finally {
    await close();
  }
}
