import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Roles, active users and rates on `users`; invitation codes (kept only as SHA-256); and the row
 * the instance scope's units of work lock (registration, invitations, roles), so that "the first
 * user becomes the owner", "one registration per code" and "at least one active owner" hold
 * across processes. Users carried over from the seed become active members; the operator names
 * an owner with `npm run users -- set-role`. Each step checks whether it is done already, so a
 * run that failed half-way (MySQL's DDL is not transactional) completes on the next start.
 */
export async function addRolesAndInvitations({ sql, schema }: MigrationContext): Promise<void> {
  if (!(await schema.column("users", "role"))) {
    await sql.ddl(
      "ALTER TABLE users ADD COLUMN role VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'member'",
    );
  }
  if (!(await schema.column("users", "active"))) {
    await sql.ddl("ALTER TABLE users ADD COLUMN active TINYINT(1) NOT NULL DEFAULT 1");
  }
  if (!(await schema.column("users", "hourly_rate_cents"))) {
    await sql.ddl("ALTER TABLE users ADD COLUMN hourly_rate_cents INT UNSIGNED NULL");
  }
  if (!(await schema.hasIndex("users", "idx_users_role_active"))) {
    await sql.ddl("ALTER TABLE users ADD INDEX idx_users_role_active (role, active)");
  }

  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS invitations (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "code_hash CHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "role VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
      "created_by INT UNSIGNED NULL, " +
      "created_at DATETIME NOT NULL, " +
      "expires_at DATETIME NOT NULL, " +
      "used_at DATETIME NULL, " +
      "used_by INT UNSIGNED NULL, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_invitations_code_hash (code_hash), " +
      "KEY idx_invitations_expires_at (expires_at), " +
      "CONSTRAINT fk_invitations_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL, " +
      "CONSTRAINT fk_invitations_used_by FOREIGN KEY (used_by) REFERENCES users (id) ON DELETE SET NULL" +
      `) ${TABLE_OPTIONS}`,
  );

  await sql.ddl(`CREATE TABLE IF NOT EXISTS instance_lock (id TINYINT UNSIGNED NOT NULL, PRIMARY KEY (id)) ${TABLE_OPTIONS}`);
  await sql.run("INSERT IGNORE INTO instance_lock (id) VALUES (1)");
}
