import { COLLATION, TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * The seed service's schema, exactly as its schema.sql made it, for a database that has none yet.
 * A database the seed already filled keeps its tables: every statement is CREATE TABLE IF NOT
 * EXISTS, and the later migrations bring existing tables to the shape the service needs.
 */
export async function createSeedSchema({ sql, schema }: MigrationContext): Promise<void> {
  // Foreign keys only when all three tables are new: next to a seed table of another shape
  // (signed ids, say) they could not be created yet; 0002 adds them once the keys agree.
  const fresh =
    (await schema.table("users")) === null &&
    (await schema.table("category")) === null &&
    (await schema.table("time_entries")) === null;

  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS users (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      `username VARCHAR(100) CHARACTER SET utf8mb4 COLLATE ${COLLATION} NOT NULL, ` +
      "pwd_hash VARBINARY(255) NOT NULL, " +
      "salt VARBINARY(255) NOT NULL, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_users_username (username)" +
      `) ${TABLE_OPTIONS}`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS category (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      `name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE ${COLLATION} NOT NULL, ` +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_category_name (name)" +
      `) ${TABLE_OPTIONS}`,
  );
  const foreignKeys = fresh
    ? ", CONSTRAINT fk_time_entries_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      ", CONSTRAINT fk_time_entries_category FOREIGN KEY (category_id) REFERENCES category (id) ON DELETE RESTRICT"
    : "";
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS time_entries (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "category_id INT UNSIGNED NOT NULL, " +
      "start_time DATETIME NOT NULL, " +
      "end_time DATETIME NOT NULL, " +
      "PRIMARY KEY (id)" +
      foreignKeys +
      // Kept from the seed: a NULL end (a running timer, after 0003) passes a CHECK on both servers.
      ", CONSTRAINT chk_time_entries_end_after_start CHECK (end_time > start_time)" +
      `) ${TABLE_OPTIONS}`,
  );
}
