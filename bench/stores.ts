import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import mysql, { type Pool, type PoolOptions, type RowDataPacket } from "mysql2/promise";
import type { Storage } from "./options.js";

/** The MySQL server the bench may use, from TEST_MYSQL_URL or the DB_* variables. */
export interface MySqlServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** The pool size the service gets (DB_POOL_SIZE) and the raw INSERT ceiling uses. */
export const MYSQL_POOL_SIZE = 32;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function mysqlServerFromEnv(env: NodeJS.ProcessEnv): MySqlServer {
  const raw = env.TEST_MYSQL_URL?.trim();
  let server: MySqlServer;
  if (raw) {
    const url = new URL(raw);
    if (url.protocol !== "mysql:") throw new Error("TEST_MYSQL_URL must look like mysql://user:password@127.0.0.1:3306");
    server = {
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username || "root"),
      password: decodeURIComponent(url.password),
    };
  } else if (env.DB_HOST?.trim()) {
    server = {
      host: env.DB_HOST.trim(),
      port: env.DB_PORT ? Number(env.DB_PORT) : 3306,
      user: env.DB_USER ?? "username",
      password: env.DB_PASSWORD ?? "1234",
    };
  } else {
    throw new Error("--storage mysql needs TEST_MYSQL_URL (mysql://root@127.0.0.1:3306) or DB_HOST");
  }
  // The benchmark loads what it talks to as hard as it can: only ever this machine.
  if (!LOOPBACK.has(server.host)) {
    throw new Error(`the benchmark only loads a database on this machine (127.0.0.1), not ${server.host}`);
  }
  return server;
}

/** A store prepared for one run: the service's environment and how to clean up after it. */
export interface PreparedStore {
  readonly storage: Storage;
  /** Environment for the service process. */
  readonly env: Record<string, string>;
  /** Where the data lives, for the report (no password). */
  readonly description: string;
  /** How to open a pool on the run's database, for a ceiling that needs its own (mysql only). */
  readonly mysqlPoolOptions: PoolOptions | null;
  /** A pool on the run's database (mysql only). */
  readonly mysqlPool: Pool | null;
  /** The file of the run's database (sqlite only). */
  readonly sqlitePath: string | null;
  /** Rows in time_entries for these users, read straight from the database; null for memory. */
  countEntries(userIds: readonly number[]): Promise<number | null>;
  /** Rows in entry_tags of these users' entries; null for memory. */
  countEntryTags(userIds: readonly number[]): Promise<number | null>;
  /** The webhooks' rows in webhook_deliveries by status (pending, delivered, failed); null for memory. */
  deliveryStatuses(webhookIds: readonly number[]): Promise<Record<string, number> | null>;
  /** Server version, for the report. */
  readonly version: string | null;
  dispose(): Promise<void>;
}

/** What the direct counts count, up to `IN (the users)`. */
const ENTRIES_OF_USERS = "time_entries WHERE user_id";
const TAGS_OF_USERS = "entry_tags et JOIN time_entries e ON e.id = et.entry_id WHERE e.user_id";
const DELIVERIES_BY_STATUS = "SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id IN";

function byStatus(rows: readonly { status: unknown; n: unknown }[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function prepareMySql(): Promise<PreparedStore> {
  const server = mysqlServerFromEnv(process.env);
  const database = `tt_bench_${stamp()}_${randomBytes(3).toString("hex")}`;
  const admin = await mysql.createConnection({ ...server, connectTimeout: 10_000 });
  let version: string | null = null;
  try {
    const [rows] = await admin.query<RowDataPacket[]>("SELECT VERSION() AS version");
    version = String(rows[0]?.version ?? "");
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const poolOptions: PoolOptions = {
    ...server,
    database,
    connectionLimit: MYSQL_POOL_SIZE,
    queueLimit: 10_000,
    timezone: "Z",
    dateStrings: false,
    // As the service's own pool: no stack captured per statement.
    trace: false,
  };
  const pool = mysql.createPool(poolOptions);
  pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  const count = async (from: string, userIds: readonly number[]): Promise<number> => {
    if (userIds.length === 0) return 0;
    const [rows] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${from} IN (?)`, [userIds]);
    return Number(rows[0]?.n ?? 0);
  };
  let disposed = false;
  return {
    storage: "mysql",
    env: {
      STORAGE: "mysql",
      DB_HOST: server.host,
      DB_PORT: String(server.port),
      DB_USER: server.user,
      DB_PASSWORD: server.password,
      DB_NAME: database,
      DB_POOL_SIZE: String(MYSQL_POOL_SIZE),
    },
    description: `mysql ${server.host}:${server.port}/${database}`,
    mysqlPoolOptions: poolOptions,
    mysqlPool: pool,
    sqlitePath: null,
    version,
    countEntries: (userIds) => count(ENTRIES_OF_USERS, userIds),
    countEntryTags: (userIds) => count(TAGS_OF_USERS, userIds),
    async deliveryStatuses(webhookIds) {
      if (webhookIds.length === 0) return {};
      const [rows] = await pool.query<RowDataPacket[]>(`${DELIVERIES_BY_STATUS} (?) GROUP BY status`, [webhookIds]);
      return byStatus(rows as { status: unknown; n: unknown }[]);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await pool.end().catch(() => undefined);
      const conn = await mysql.createConnection({ ...server, connectTimeout: 10_000 });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/**
 * A better-sqlite3 connection of the bench's own on the service's file: it waits up to 5 s for the
 * service's writer, and a writable one checks foreign keys as the service's does. The caller closes it.
 */
export async function openSqlite(path: string, options: { readonly readonly?: boolean } = {}): Promise<BetterSqlite3.Database> {
  const { default: Database } = await import("better-sqlite3");
  const db = options.readonly ? new Database(path, { readonly: true, fileMustExist: true }) : new Database(path);
  db.pragma("busy_timeout = 5000");
  if (!options.readonly) db.pragma("foreign_keys = ON");
  return db;
}

async function prepareSqlite(): Promise<PreparedStore> {
  const dir = mkdtempSync(join(tmpdir(), "tt-bench-"));
  const path = join(dir, "bench.sqlite");
  const count = async (from: string, userIds: readonly number[]): Promise<number | null> => {
    const db = await openSqlite(path, { readonly: true });
    try {
      const placeholders = userIds.map(() => "?").join(",");
      const row = db.prepare(`SELECT COUNT(*) AS n FROM ${from} IN (${placeholders || "NULL"})`).get(...userIds) as
        | { n: number }
        | undefined;
      return row ? Number(row.n) : null;
    } finally {
      db.close();
    }
  };
  const deliveryStatuses = async (webhookIds: readonly number[]): Promise<Record<string, number>> => {
    const db = await openSqlite(path, { readonly: true });
    try {
      const placeholders = webhookIds.map(() => "?").join(",");
      const rows = db
        .prepare(`${DELIVERIES_BY_STATUS} (${placeholders || "NULL"}) GROUP BY status`)
        .all(...webhookIds) as { status: unknown; n: unknown }[];
      return byStatus(rows);
    } finally {
      db.close();
    }
  };
  return {
    storage: "sqlite",
    env: { STORAGE: "sqlite", SQLITE_PATH: path },
    description: `sqlite ${path}`,
    mysqlPoolOptions: null,
    mysqlPool: null,
    sqlitePath: path,
    version: null,
    countEntries: (userIds) => count(ENTRIES_OF_USERS, userIds),
    countEntryTags: (userIds) => count(TAGS_OF_USERS, userIds),
    deliveryStatuses,
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function prepareStore(storage: Storage): Promise<PreparedStore> {
  switch (storage) {
    case "mysql":
      return prepareMySql();
    case "sqlite":
      return prepareSqlite();
    case "memory":
      return {
        storage,
        env: { STORAGE: "memory" },
        description: "memory",
        mysqlPoolOptions: null,
        mysqlPool: null,
        sqlitePath: null,
        version: null,
        countEntries: async () => null,
        countEntryTags: async () => null,
        deliveryStatuses: async () => null,
        dispose: async () => undefined,
      };
  }
}
