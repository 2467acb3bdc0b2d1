import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import mysql from "mysql2/promise";
import pino, { type Logger } from "pino";
import { inject } from "vitest";
import { MySqlStore, type MySqlStoreOptions } from "../../src/adapters/persistence/mysql/mysql-store.js";
import type { MySqlConfig } from "../../src/config.js";

/**
 * The server the MySQL suites run against, found once per run by mysql-global-setup.ts (a
 * Testcontainers mysql:8.0, or TEST_MYSQL_URL); null when there is none and the suites skip.
 */
export const mysqlUrl: string | null = inject("mysqlUrl") ?? null;

/** For `describe.skipIf(!mysqlAvailable)`. */
export const mysqlAvailable = mysqlUrl !== null;

export const silentLogger: Logger = pino({ level: "silent" });

export interface TestDatabaseOptions {
  /** The database's default character set and collation, as a seed server might have had them. */
  readonly charset?: string;
  readonly collation?: string;
}

/** A database of one test file's own, on the shared server; `drop()` removes it. */
export interface TestDatabase {
  readonly name: string;
  /** What the store is opened with: the server's credentials, this database, a modest pool. */
  config(poolSize?: number): MySqlConfig;
  /** A plain connection to this database, for building fixtures and inspecting results. */
  connect(): Promise<mysql.Connection>;
  /** Opens a store on this database and migrates it; close it with `store.close()`. */
  openStore(options?: MySqlStoreOptions & { readonly poolSize?: number; readonly migrate?: boolean }): Promise<MySqlStore>;
  drop(): Promise<void>;
}

function serverConfig(url: string): Omit<MySqlConfig, "database" | "poolSize"> {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || "root"),
    password: decodeURIComponent(parsed.password),
  };
}

/** tt_test_<base-36 time>_<purpose>_<random>, at most 64 characters, safe as an identifier. */
function databaseName(purpose: string): string {
  const tag = purpose.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 24);
  return `tt_test_${Date.now().toString(36)}_${tag}_${randomBytes(4).toString("hex")}`;
}

/**
 * Creates a uniquely named database for one test file, so files running in parallel (and runs
 * on a shared server) never see each other's rows.
 */
export async function createTestDatabase(purpose: string, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (mysqlUrl === null) throw new Error("No MySQL server for the tests; guard the suite with mysqlAvailable");
  const server = serverConfig(mysqlUrl);
  const name = databaseName(purpose);
  const admin = await mysql.createConnection({ ...server, connectTimeout: 5_000 });
  try {
    const charset = options.charset ?? "utf8mb4";
    const collation = options.collation ?? "utf8mb4_unicode_ci";
    await admin.query(
      `CREATE DATABASE ${admin.escapeId(name)} CHARACTER SET ${admin.escapeId(charset)} COLLATE ${admin.escapeId(collation)}`,
    );
  } finally {
    await admin.end();
  }

  const config = (poolSize = 4): MySqlConfig => ({ ...server, database: name, poolSize });
  return {
    name,
    config,
    connect: () =>
      mysql.createConnection({ ...server, database: name, timezone: "Z", charset: "utf8mb4_unicode_ci", connectTimeout: 5_000 }),
    async openStore(storeOptions = {}) {
      const { poolSize, migrate = true, ...rest } = storeOptions;
      const store = await MySqlStore.open(config(poolSize), silentLogger, rest);
      if (migrate) await store.migrate();
      return store;
    },
    async drop() {
      const connection = await mysql.createConnection({ ...server, connectTimeout: 5_000 });
      try {
        await connection.query(`DROP DATABASE IF EXISTS ${connection.escapeId(name)}`);
      } finally {
        await connection.end();
      }
    },
  };
}

// ---- Databases as the seed service left them ----

/**
 * A database as the seed service (Flask + mysql-connector + bcrypt) left it, in either of the
 * forms it existed in: made by its schema.sql, or made by hand from its README.
 */
export type SeedForm = "schema.sql" | "readme";

/** The seed's schema.sql: utf8mb4_unicode_ci, unsigned ids, binary hash and salt, foreign keys, CHECK. */
const SCHEMA_SQL = [
  "CREATE TABLE users (" +
    "id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, " +
    "username VARCHAR(100) NOT NULL UNIQUE, " +
    "pwd_hash VARBINARY(255) NOT NULL, " +
    "salt VARBINARY(255) NOT NULL" +
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
  "CREATE TABLE category (" +
    "id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, " +
    "name VARCHAR(100) NOT NULL UNIQUE" +
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
  "CREATE TABLE time_entries (" +
    "id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, " +
    "user_id INT UNSIGNED NOT NULL, " +
    "category_id INT UNSIGNED NOT NULL, " +
    "start_time DATETIME NOT NULL, " +
    "end_time DATETIME NOT NULL, " +
    "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE, " +
    "FOREIGN KEY (category_id) REFERENCES category(id) ON DELETE RESTRICT, " +
    "CHECK (end_time > start_time)" +
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
];

/** From the README's tables alone: INT ids, BLOB hash and salt, no CHECK, the server's default collation. */
function readmeSql(foreignKeys: boolean): string[] {
  return [
    "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(100) UNIQUE, pwd_hash BLOB, salt BLOB)",
    "CREATE TABLE category (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) UNIQUE)",
    "CREATE TABLE time_entries (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT, category_id INT, " +
      "start_time DATETIME, end_time DATETIME" +
      (foreignKeys
        ? ", FOREIGN KEY (user_id) REFERENCES users(id), FOREIGN KEY (category_id) REFERENCES category(id)"
        : "") +
      ")",
  ];
}

export interface SeedUser {
  readonly username: string;
  readonly password: string;
}

export interface SeedEntry {
  readonly username: string;
  readonly category: string;
  readonly start: string;
  readonly end: string;
}

export const SEED_USERS: readonly SeedUser[] = [
  { username: "john", password: "securepassword" },
  { username: "Jürgen", password: "pässwört-42" },
  { username: "ann.o'hara", password: "correct horse battery" },
];

export const SEED_CATEGORIES: readonly string[] = ["Work", "Café", "Meetings"];

export const SEED_ENTRIES: readonly SeedEntry[] = [
  { username: "john", category: "Work", start: "2026-02-10 09:00:00", end: "2026-02-10 11:30:00" },
  { username: "john", category: "Meetings", start: "2026-02-10 11:30:00", end: "2026-02-10 12:00:00" },
  { username: "john", category: "Work", start: "2026-02-11 08:15:00", end: "2026-02-11 17:45:00" },
  { username: "Jürgen", category: "Café", start: "2026-01-05 07:00:00", end: "2026-01-05 07:20:00" },
  // The seed never checked overlaps; such rows are kept and listed.
  { username: "Jürgen", category: "Work", start: "2026-01-05 07:10:00", end: "2026-01-05 09:00:00" },
];

/** Real bcrypt hashes as the seed made them: `bcrypt.hashpw(password, bcrypt.gensalt())`, cost 12, $2b$. */
export async function seedHashes(users: readonly SeedUser[] = SEED_USERS): Promise<Map<string, { hash: string; salt: string }>> {
  const hashes = new Map<string, { hash: string; salt: string }>();
  await Promise.all(
    users.map(async (user) => {
      const salt = (await bcrypt.genSalt(12)).replace(/^\$2a\$/, "$2b$");
      const hash = await bcrypt.hash(user.password, salt);
      hashes.set(user.username, { hash, salt });
    }),
  );
  return hashes;
}

export interface SeedOptions {
  readonly form: SeedForm;
  /** README form only: whether whoever made the tables declared the foreign keys. */
  readonly foreignKeys?: boolean;
  readonly hashes: Map<string, { hash: string; salt: string }>;
  readonly users?: readonly SeedUser[];
  readonly categories?: readonly string[];
  readonly entries?: readonly SeedEntry[];
}

/** Creates the seed's tables on `connection`'s database and fills them the way the seed's service did. */
export async function buildSeedDatabase(connection: mysql.Connection, options: SeedOptions): Promise<void> {
  const statements = options.form === "schema.sql" ? SCHEMA_SQL : readmeSql(options.foreignKeys ?? true);
  for (const statement of statements) await connection.query(statement);

  const userIds = new Map<string, number>();
  for (const user of options.users ?? SEED_USERS) {
    const hashed = options.hashes.get(user.username);
    if (!hashed) throw new Error(`no hash for ${user.username}`);
    // mysql-connector sent bcrypt's bytes; the columns are binary.
    const [result] = await connection.execute<mysql.ResultSetHeader>(
      "INSERT INTO users (username, pwd_hash, salt) VALUES (?, ?, ?)",
      [user.username, Buffer.from(hashed.hash, "utf8"), Buffer.from(hashed.salt, "utf8")],
    );
    userIds.set(user.username, result.insertId);
  }
  const categoryIds = new Map<string, number>();
  for (const name of options.categories ?? SEED_CATEGORIES) {
    const [result] = await connection.execute<mysql.ResultSetHeader>("INSERT INTO category (name) VALUES (?)", [name]);
    categoryIds.set(name, result.insertId);
  }
  for (const entry of options.entries ?? SEED_ENTRIES) {
    await connection.execute(
      "INSERT INTO time_entries (user_id, category_id, start_time, end_time) VALUES (?, ?, ?, ?)",
      [userIds.get(entry.username) ?? 0, categoryIds.get(entry.category) ?? 0, entry.start, entry.end],
    );
  }
}
