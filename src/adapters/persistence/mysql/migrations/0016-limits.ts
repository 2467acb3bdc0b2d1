import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/** Counters of failed logins and registrations, shared by every process on this database. */
export async function createAttemptCounters({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS attempt_counters (" +
      "bucket VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "hits INT UNSIGNED NOT NULL, " +
      "resets_at_ms BIGINT NOT NULL, " +
      "PRIMARY KEY (bucket), " +
      "KEY idx_attempt_counters_resets (resets_at_ms)" +
      `) ${TABLE_OPTIONS}`,
  );
}
