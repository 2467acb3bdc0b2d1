import { NAME_KEY_TYPE, PROJECT_NAME_KEY_TYPE } from "../name-keys.js";
import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/**
 * Clients, projects (one name per client, and one among the projects without a client: a unique
 * index on the client, or 0, and the name key), tags (one per name key) and the tags of each
 * entry; on `time_entries`, the project, whether the entry is billable and the rate fixed onto
 * it when it was written; and the instance's settings row (the locked period). Entries carried
 * over keep their values: no project, not billable, no rate. Each step checks whether it is done
 * already, so a run that failed half-way completes on the next start.
 */
export async function addProjectsTagsBilling({ sql, schema }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS clients (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "name VARCHAR(100) NOT NULL, " +
      `name_key ${NAME_KEY_TYPE} NOT NULL, ` +
      "archived TINYINT(1) NOT NULL DEFAULT 0, " +
      "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_clients_name_key (name_key)" +
      `) ${TABLE_OPTIONS} ROW_FORMAT=DYNAMIC`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS projects (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "name VARCHAR(100) NOT NULL, " +
      `name_key ${PROJECT_NAME_KEY_TYPE} NOT NULL, ` +
      "client_id INT UNSIGNED NULL, " +
      "client_key INT UNSIGNED AS (IFNULL(client_id, 0)) STORED, " +
      "color CHAR(7) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, " +
      "billable TINYINT(1) NOT NULL DEFAULT 1, " +
      "hourly_rate_cents INT UNSIGNED NULL, " +
      "archived TINYINT(1) NOT NULL DEFAULT 0, " +
      "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_projects_client_name_key (client_key, name_key), " +
      "KEY idx_projects_client (client_id), " +
      "CONSTRAINT fk_projects_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE RESTRICT" +
      `) ${TABLE_OPTIONS} ROW_FORMAT=DYNAMIC`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS tags (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "name VARCHAR(50) NOT NULL, " +
      `name_key ${NAME_KEY_TYPE} NOT NULL, ` +
      "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_tags_name_key (name_key)" +
      `) ${TABLE_OPTIONS} ROW_FORMAT=DYNAMIC`,
  );

  const added: string[] = [];
  if (!(await schema.column("time_entries", "project_id"))) added.push("ADD COLUMN project_id INT UNSIGNED NULL");
  if (!(await schema.column("time_entries", "billable"))) added.push("ADD COLUMN billable TINYINT(1) NOT NULL DEFAULT 0");
  if (!(await schema.column("time_entries", "hourly_rate_cents"))) {
    added.push("ADD COLUMN hourly_rate_cents INT UNSIGNED NULL");
  }
  if (added.length > 0) await sql.ddl(`ALTER TABLE time_entries ${added.join(", ")}`);
  if (!(await schema.hasIndex("time_entries", "idx_time_entries_project"))) {
    await sql.ddl("ALTER TABLE time_entries ADD INDEX idx_time_entries_project (project_id)");
  }
  if (!(await schema.foreignKeys("time_entries")).some((fk) => fk.column === "project_id")) {
    await sql.ddl(
      "ALTER TABLE time_entries ADD CONSTRAINT fk_time_entries_project FOREIGN KEY (project_id) " +
        "REFERENCES projects (id) ON DELETE RESTRICT",
    );
  }

  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS entry_tags (" +
      "entry_id INT UNSIGNED NOT NULL, " +
      "tag_id INT UNSIGNED NOT NULL, " +
      "PRIMARY KEY (entry_id, tag_id), " +
      "KEY idx_entry_tags_tag (tag_id, entry_id), " +
      "CONSTRAINT fk_entry_tags_entry FOREIGN KEY (entry_id) REFERENCES time_entries (id) ON DELETE CASCADE, " +
      "CONSTRAINT fk_entry_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE RESTRICT" +
      `) ${TABLE_OPTIONS}`,
  );

  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS instance_settings (" +
      "id TINYINT UNSIGNED NOT NULL, " +
      "lock_before DATETIME NULL, " +
      "PRIMARY KEY (id)" +
      `) ${TABLE_OPTIONS}`,
  );
  await sql.run("INSERT IGNORE INTO instance_settings (id, lock_before) VALUES (1, NULL)");
}
