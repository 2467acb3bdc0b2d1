import { NAME_KEY_TYPE } from "../name-keys.js";
import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/** Teams (one per name, compared by the binary name key as users and categories are) and their members. */
export async function createTeams({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS teams (" +
      "id INT UNSIGNED NOT NULL AUTO_INCREMENT, " +
      "name VARCHAR(100) NOT NULL, " +
      `name_key ${NAME_KEY_TYPE} NOT NULL, ` +
      "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, " +
      "PRIMARY KEY (id), " +
      "UNIQUE KEY uq_teams_name_key (name_key)" +
      `) ${TABLE_OPTIONS} ROW_FORMAT=DYNAMIC`,
  );
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS team_members (" +
      "team_id INT UNSIGNED NOT NULL, " +
      "user_id INT UNSIGNED NOT NULL, " +
      "is_lead TINYINT(1) NOT NULL DEFAULT 0, " +
      "PRIMARY KEY (team_id, user_id), " +
      "KEY idx_team_members_user (user_id, team_id), " +
      "CONSTRAINT fk_team_members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE, " +
      "CONSTRAINT fk_team_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE" +
      `) ${TABLE_OPTIONS}`,
  );
}
