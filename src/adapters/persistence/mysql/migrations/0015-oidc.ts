import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Single sign-on links: (issuer, sub) → user. Both are compared byte for byte (utf8mb4_bin), as
 * OpenID Connect says `sub` is case-sensitive; 255 characters each is the spec's limit for `sub`
 * and ample for an issuer URL, and keeps the key within InnoDB's 3072 bytes.
 */
export async function createIdentityLinks({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS identity_links (" +
      "issuer VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "created_at DATETIME NOT NULL, " +
      "PRIMARY KEY (issuer, subject), " +
      "KEY idx_identity_links_user (user_id), " +
      "CONSTRAINT fk_identity_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
}
