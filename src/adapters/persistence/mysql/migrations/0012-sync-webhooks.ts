import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Incremental sync's change feed (a per-user sequence on users, one change row per entry, deletions
 * kept as tombstones) and webhooks with their outbox. Each step checks first, so a run cut short
 * runs again safely. Outbox times are milliseconds since the epoch (retries can be sub-second).
 */
export async function addSyncAndWebhooks({ sql, schema }: MigrationContext): Promise<void> {
  if (!(await schema.column("users", "change_seq"))) {
    await sql.ddl(
      "ALTER TABLE users ADD COLUMN change_seq BIGINT UNSIGNED NOT NULL DEFAULT 0, " +
        "ADD COLUMN changes_purged_seq BIGINT UNSIGNED NOT NULL DEFAULT 0",
    );
  }
  if (!(await schema.table("entry_changes"))) {
    await sql.ddl(
      "CREATE TABLE entry_changes (" +
        "user_id INT UNSIGNED NOT NULL, " +
        "entry_id INT UNSIGNED NOT NULL, " +
        "seq BIGINT UNSIGNED NOT NULL, " +
        "deleted TINYINT(1) NOT NULL, " +
        "changed_at BIGINT NOT NULL, " +
        "PRIMARY KEY (user_id, entry_id), " +
        "UNIQUE KEY uq_entry_changes_user_seq (user_id, seq), " +
        "KEY idx_entry_changes_deleted (deleted, changed_at), " +
        "CONSTRAINT fk_entry_changes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
        `) ${TABLE_OPTIONS}`,
    );
    // Entries from before the feed: each as a change, numbered by its id.
    await sql.run(
      "INSERT IGNORE INTO entry_changes (user_id, entry_id, seq, deleted, changed_at) " +
        "SELECT user_id, id, id, 0, UNIX_TIMESTAMP() * 1000 FROM time_entries",
    );
    await sql.run(
      "UPDATE users u SET u.change_seq = GREATEST(u.change_seq, " +
        "COALESCE((SELECT MAX(e.id) FROM time_entries e WHERE e.user_id = u.id), 0))",
    );
  }
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS webhooks (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "url VARCHAR(2000) NOT NULL, " +
      "events_mask INT UNSIGNED NOT NULL, " +
      "description VARCHAR(500) NULL, " +
      "all_users TINYINT(1) NOT NULL DEFAULT 0, " +
      "active TINYINT(1) NOT NULL DEFAULT 1, " +
      "secret VARCHAR(200) NOT NULL, " +
      "created_at BIGINT NOT NULL, " +
      "KEY idx_webhooks_user (user_id), " +
      "KEY idx_webhooks_all_users (all_users, active), " +
      "CONSTRAINT fk_webhooks_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS webhook_deliveries (" +
      "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
      "webhook_id INT UNSIGNED NOT NULL, " +
      "type VARCHAR(40) NOT NULL, " +
      "username VARCHAR(100) NOT NULL, " +
      "payload MEDIUMTEXT NULL, " +
      "status VARCHAR(10) NOT NULL, " +
      "attempts INT UNSIGNED NOT NULL DEFAULT 0, " +
      "next_attempt_at BIGINT NOT NULL, " +
      "last_status_code INT NULL, " +
      "last_error VARCHAR(500) NULL, " +
      "created_at BIGINT NOT NULL, " +
      "delivered_at BIGINT NULL, " +
      "KEY idx_webhook_deliveries_due (status, next_attempt_at), " +
      "KEY idx_webhook_deliveries_webhook (webhook_id, id), " +
      "CONSTRAINT fk_webhook_deliveries_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
}
