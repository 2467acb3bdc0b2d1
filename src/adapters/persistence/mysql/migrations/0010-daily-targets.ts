import { TABLE_OPTIONS, type MigrationContext } from "./migration-context.js";

/** Each user's daily target per category (a preference the web app's timer shows). */
export async function createDailyTargets({ sql }: MigrationContext): Promise<void> {
  await sql.ddl(
    "CREATE TABLE IF NOT EXISTS daily_targets (" +
      "user_id INT UNSIGNED NOT NULL, " +
      "category_id INT UNSIGNED NOT NULL, " +
      "seconds INT UNSIGNED NOT NULL, " +
      "PRIMARY KEY (user_id, category_id), " +
      "CONSTRAINT fk_daily_targets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE, " +
      "CONSTRAINT fk_daily_targets_category FOREIGN KEY (category_id) REFERENCES category (id) ON DELETE CASCADE, " +
      "CONSTRAINT chk_daily_targets_seconds CHECK (seconds BETWEEN 60 AND 86400)" +
      `) ${TABLE_OPTIONS}`,
  );
}
