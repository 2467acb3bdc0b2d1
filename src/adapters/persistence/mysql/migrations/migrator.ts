import { createHash } from "node:crypto";
import mysql, { type Connection, type ConnectionOptions, type RowDataPacket } from "mysql2/promise";
import type { Logger } from "pino";
import { Umzug, type UmzugStorage } from "umzug";
import { SESSION_SETUP_SQL } from "../mysql-database.js";
import { translateError } from "../mysql-errors.js";
import { createSeedSchema } from "./0001-seed-schema.js";
import { normalizeSeedTables } from "./0002-normalize-seed-tables.js";
import { addTimersNotesTimestamps } from "./0003-timers-notes-timestamps.js";
import { createSessions } from "./0004-sessions.js";
import { compareNamesByUca520 } from "./0005-name-collation.js";
import { compareNamesByKey } from "./0006-name-keys.js";
import { addRolesAndInvitations } from "./0007-roles-invitations.js";
import { createTeams } from "./0008-teams.js";
import { addProjectsTagsBilling } from "./0009-projects-tags-billing.js";
import { createDailyTargets } from "./0010-daily-targets.js";
import { createIdentityLinks } from "./0015-oidc.js";
import { createApiTokens } from "./0011-api-tokens.js";
import { addAccounts } from "./0014-accounts.js";
import { addSyncAndWebhooks } from "./0012-sync-webhooks.js";
import { createAttemptCounters } from "./0016-limits.js";
import { widenUserStartIndex } from "./0017-report-covering-index.js";
import { MigrationSql, SchemaInspector, type MigrationContext } from "./migration-context.js";

/** Forward-only, in order; a name is never reused or renamed once released. */
export const MIGRATIONS: ReadonlyArray<{ name: string; up: (context: MigrationContext) => Promise<void> }> = [
  { name: "0001-seed-schema", up: createSeedSchema },
  { name: "0002-normalize-seed-tables", up: normalizeSeedTables },
  { name: "0003-timers-notes-timestamps", up: addTimersNotesTimestamps },
  { name: "0004-sessions", up: createSessions },
  { name: "0005-name-collation", up: compareNamesByUca520 },
  { name: "0006-name-keys", up: compareNamesByKey },
  { name: "0007-roles-invitations", up: addRolesAndInvitations },
  { name: "0008-teams", up: createTeams },
  { name: "0009-projects-tags-billing", up: addProjectsTagsBilling },
  { name: "0010-daily-targets", up: createDailyTargets },
  { name: "0011-api-tokens", up: createApiTokens },
  { name: "0012-sync-webhooks", up: addSyncAndWebhooks },
  { name: "0014-accounts", up: addAccounts },
  { name: "0015-oidc", up: createIdentityLinks },
  { name: "0016-limits", up: createAttemptCounters },
  { name: "0017-report-covering-index", up: widenUserStartIndex },
];

export const MIGRATIONS_TABLE = "schema_migrations";

interface NameRow extends RowDataPacket {
  name: string;
}

interface LockRow extends RowDataPacket {
  acquired: number | null;
}

/**
 * The migration lock's name: one per database, so services on other databases of the same server
 * never wait for each other. MySQL caps user-lock names at 64 characters.
 */
export function migrationLockName(database: string): string {
  const name = `time_tracker_migrations:${database}`;
  if (name.length <= 64) return name;
  return `time_tracker_migrations:${createHash("sha256").update(database).digest("hex").slice(0, 40)}`;
}

/** Umzug's record of what has run, kept in a table of the database it describes. */
class MigrationTableStorage implements UmzugStorage<MigrationContext> {
  constructor(private readonly sql: MigrationSql) {}

  async ensureTable(): Promise<void> {
    await this.sql.ddl(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (` +
        "name VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
        "applied_at DATETIME NOT NULL, " +
        "PRIMARY KEY (name)" +
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
    );
  }

  async executed(): Promise<string[]> {
    const rows = await this.sql.rows<NameRow>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`);
    return rows.map((row) => row.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.sql.run(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES (?, UTC_TIMESTAMP())`, [name]);
  }

  async unlogMigration(): Promise<void> {
    throw new Error("Migrations are forward-only");
  }
}

async function takeLock(connection: Connection, name: string, lockWaitMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    // Each call waits up to 30 s; it is repeated until `lockWaitMs` has passed.
    const [rows] = await connection.execute<LockRow[]>("SELECT GET_LOCK(?, 30) AS acquired", [name]);
    const acquired = rows[0]?.acquired;
    if (acquired === 1) return;
    if (acquired === null || acquired === undefined) throw new Error(`GET_LOCK('${name}') failed`);
    if (Date.now() >= deadline) {
      throw new Error(`Another instance has held the migration lock '${name}' for over ${Math.round(lockWaitMs / 1000)} s`);
    }
    log.info({ lock: name }, "waiting for another instance to finish migrating");
  }
}

/**
 * Runs the pending migrations on one dedicated connection, holding a named lock so that
 * instances starting together migrate one after the other; the later ones find nothing to do.
 */
export async function runMigrations(
  options: ConnectionOptions,
  database: string,
  log: Logger,
  lockWaitMs: number,
): Promise<void> {
  let connection: Connection;
  try {
    connection = await mysql.createConnection(options);
    await connection.query(SESSION_SETUP_SQL);
  } catch (error) {
    throw translateError(error);
  }
  const lock = migrationLockName(database);
  try {
    await takeLock(connection, lock, lockWaitMs, log);
    try {
      const sql = new MigrationSql(connection);
      const storage = new MigrationTableStorage(sql);
      await storage.ensureTable();
      const context: MigrationContext = { sql, schema: new SchemaInspector(sql), log };
      const known = new Set(MIGRATIONS.map((migration) => migration.name));
      const unknown = (await storage.executed()).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        log.warn({ migrations: unknown }, "the database records migrations this version does not know (a newer version ran?)");
      }
      const umzug = new Umzug<MigrationContext>({
        migrations: MIGRATIONS.map((migration) => ({
          name: migration.name,
          up: ({ context: ctx }) => migration.up(ctx),
        })),
        context,
        storage,
        logger: {
          info: (message) => log.info(message, "migration"),
          warn: (message) => log.warn(message, "migration"),
          error: (message) => log.error(message, "migration"),
          debug: (message) => log.debug(message, "migration"),
        },
      });
      await umzug.up();
    } finally {
      await connection.execute("SELECT RELEASE_LOCK(?)", [lock]).catch(() => undefined);
    }
  } catch (error) {
    // Umzug wraps what a migration threw; an outage inside one is still an outage.
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const translated = translateError(cause);
    throw translated === cause ? error : translated;
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}
