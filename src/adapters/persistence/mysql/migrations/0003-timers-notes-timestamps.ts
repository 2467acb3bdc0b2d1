import { COLLATION, type MigrationContext } from "./migration-context.js";

/**
 * What the service adds to the seed's tables: running timers (a nullable end), notes, creation
 * and update times, and the indexes a user's entries are read through. Existing rows get a
 * creation time they plausibly had; nothing else about them changes.
 */
export async function addTimersNotesTimestamps(context: MigrationContext): Promise<void> {
  await extendTimeEntries(context);
  await addUserCreationTime(context);
}

async function extendTimeEntries({ sql, schema, log }: MigrationContext): Promise<void> {
  const columns = await schema.columns("time_entries");
  const clauses: string[] = [];
  // The seed's CHECK (end_time > start_time) stays: NULL > x is unknown, and a CHECK only fails on false.
  if (columns.get("end_time")?.nullable === false) clauses.push("MODIFY end_time DATETIME NULL");
  if (!columns.has("note")) {
    clauses.push(`ADD COLUMN note VARCHAR(500) CHARACTER SET utf8mb4 COLLATE ${COLLATION} NULL`);
  }
  // Added nullable, filled, then made NOT NULL: each step can be run again after an interruption.
  if (!columns.has("created_at")) clauses.push("ADD COLUMN created_at DATETIME NULL");
  if (!columns.has("updated_at")) clauses.push("ADD COLUMN updated_at DATETIME NULL");
  if (!(await schema.hasIndex("time_entries", "idx_time_entries_user_start"))) {
    // Pages and exports walk a user's entries in (start, id) order.
    clauses.push("ADD INDEX idx_time_entries_user_start (user_id, start_time, id)");
  }
  if (!(await schema.hasIndex("time_entries", "idx_time_entries_user_end"))) {
    // The running timer and the overlap check look a user's entries up by their end.
    clauses.push("ADD INDEX idx_time_entries_user_end (user_id, end_time)");
  }
  if (clauses.length > 0) {
    log.info({ table: "time_entries", changes: clauses }, "extending table");
    await sql.ddl(`ALTER TABLE time_entries ${clauses.join(", ")}`);
  }

  // A seed entry was logged once it had ended; a creation time in the future is clamped to now.
  await sql.run(
    "UPDATE time_entries SET created_at = LEAST(UTC_TIMESTAMP(), COALESCE(end_time, start_time)) WHERE created_at IS NULL",
  );
  await sql.run("UPDATE time_entries SET updated_at = created_at WHERE updated_at IS NULL");
  const after = await schema.columns("time_entries");
  if (after.get("created_at")?.nullable || after.get("updated_at")?.nullable) {
    await sql.ddl(
      "ALTER TABLE time_entries " +
        "MODIFY created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, " +
        "MODIFY updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP",
    );
  }
}

async function addUserCreationTime({ sql, schema, log }: MigrationContext): Promise<void> {
  const column = await schema.column("users", "created_at");
  if (!column) {
    log.info({ table: "users" }, "adding created_at");
    await sql.ddl("ALTER TABLE users ADD COLUMN created_at DATETIME NULL");
  }
  // A seed user existed at least since their first entry began (or since now, if that is later).
  await sql.run(
    "UPDATE users u SET created_at = LEAST(UTC_TIMESTAMP(), " +
      "COALESCE((SELECT MIN(e.start_time) FROM time_entries e WHERE e.user_id = u.id), UTC_TIMESTAMP())) " +
      "WHERE u.created_at IS NULL",
  );
  if ((await schema.column("users", "created_at"))?.nullable !== false) {
    await sql.ddl("ALTER TABLE users MODIFY created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP");
  }
}
