import type { MigrationContext } from "./migration-context.js";

/** What a report reads of each entry, after the (user, start, id) order it walks them in. */
export const USER_START_COLUMNS = ["user_id", "start_time", "id", "end_time", "category_id", "project_id", "billable", "hourly_rate_cents"];

/**
 * The index a user's entries are walked by, (user_id, start_time, id), widened with every column
 * a report reads: a year of a team's entries is then read from the index alone, without a lookup
 * of each row in the table. It serves every query the narrow one did (the same leading columns).
 * Dropped and added in one ALTER, so the table never lacks it; run again, it finds it done.
 */
export async function widenUserStartIndex({ sql, schema, log }: MigrationContext): Promise<void> {
  const index = (await schema.indexes("time_entries")).find((i) => i.name === "idx_time_entries_user_start");
  if (index && index.columns.join(",") === USER_START_COLUMNS.join(",")) return;
  log.info({ table: "time_entries", index: "idx_time_entries_user_start", columns: USER_START_COLUMNS }, "widening index");
  await sql.ddl(
    `ALTER TABLE time_entries ${index ? "DROP INDEX idx_time_entries_user_start, " : ""}` +
      `ADD INDEX idx_time_entries_user_start (${USER_START_COLUMNS.join(", ")})`,
  );
}
