import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * API tokens for scripts and integrations. Only the SHA-256 of a secret is kept (64 hex
 * characters, compared byte-exactly); a user's tokens go with the user. `expires_at` NULL: never.
 */
export async function createApiTokens({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS api_tokens (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "token_hash CHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "name VARCHAR(100) NOT NULL, " +
      "scope VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "created_at DATETIME NOT NULL, " +
      "expires_at DATETIME NULL, " +
      "last_used_at DATETIME NULL, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_api_tokens_token_hash (token_hash), " +
      "KEY idx_api_tokens_user (user_id), " +
      "CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE, " +
      "CONSTRAINT chk_api_tokens_scope CHECK (scope IN ('read', 'write'))" +
      `) ${TABLE_OPTIONS}`,
  );
}
