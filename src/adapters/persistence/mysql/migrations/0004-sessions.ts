import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Bearer-token sessions. Only the SHA-256 of a token is kept (64 hex characters, compared
 * byte-exactly); a user's sessions go with the user.
 */
export async function createSessions({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS sessions (" +
      "token_hash CHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "created_at DATETIME NOT NULL, " +
      "expires_at DATETIME NOT NULL, " +
      "PRIMARY KEY (token_hash), " +
      "KEY idx_sessions_expires_at (expires_at), " +
      "CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
}
