import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Accounts: every session gets a public id (128 random bits as hex, never derived from its token
 * alone), so a user can list and end sessions without seeing a token or its hash; TOTP secrets
 * (sealed by the service) and recovery codes (SHA-256) per user, going with the user. Each step
 * checks first, so a run stopped half-way (MySQL's DDL is not transactional) completes next start.
 */
export async function addAccounts({ sql, schema }: MigrationContext): Promise<void> {
  if (!(await schema.column("sessions", "public_id"))) {
    await sql.ddl("ALTER TABLE sessions ADD COLUMN public_id CHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL");
  }
  await sql.run("UPDATE sessions SET public_id = MD5(CONCAT(UUID(), RAND(), token_hash)) WHERE public_id IS NULL");
  if (!(await schema.hasIndex("sessions", "uq_sessions_public_id"))) {
    await sql.ddl("ALTER TABLE sessions ADD UNIQUE INDEX uq_sessions_public_id (public_id)");
  }
  if (!(await schema.hasIndex("sessions", "idx_sessions_user"))) {
    await sql.ddl("ALTER TABLE sessions ADD INDEX idx_sessions_user (user_id, created_at)");
  }

  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS user_totp (" +
      "user_id INT UNSIGNED NOT NULL, " +
      "secret VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "created_at DATETIME NOT NULL, " +
      "enabled_at DATETIME NULL, " +
      "last_step BIGINT UNSIGNED NULL, " +
      "PRIMARY KEY (user_id), " +
      "CONSTRAINT fk_user_totp_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS totp_recovery_codes (" +
      "user_id INT UNSIGNED NOT NULL, " +
      "code_hash CHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "used_at DATETIME NULL, " +
      "PRIMARY KEY (user_id, code_hash), " +
      "CONSTRAINT fk_totp_recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
}
