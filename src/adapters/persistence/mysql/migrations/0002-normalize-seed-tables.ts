import type { RowDataPacket } from "mysql2/promise";
import { CHARSET, COLLATION, type ColumnInfo, type ForeignKeyInfo, type MigrationContext } from "./migration-context.js";

/**
 * Brings the seed's three tables to one shape, whichever way they were made: by the seed's
 * schema.sql (already this shape, so nothing happens), or from its README alone (signed INT ids,
 * BLOB hashes, no CHECK, maybe no foreign keys, the server's default collation, maybe MyISAM).
 * Rows are never removed or rewritten; where the data itself stands in the way, the migration
 * stops before changing anything and says which rows to look at.
 */
export async function normalizeSeedTables(context: MigrationContext): Promise<void> {
  await refuseRowsTheServiceCannotRead(context);
  await refuseNamesThatWouldCollide(context);
  await useInnoDb(context);
  await convertToUnicodeCollation(context);
  await normalizeKeys(context);
  await ensureUniqueNames(context);
  await addForeignKeys(context);
}

const SEED_TABLES = ["users", "category", "time_entries"] as const;

/** Columns the seed declared as INT ids, which every table referencing them must match. */
const KEY_COLUMNS = [
  { table: "users", column: "id", autoIncrement: true },
  { table: "category", column: "id", autoIncrement: true },
  { table: "time_entries", column: "id", autoIncrement: true },
  { table: "time_entries", column: "user_id", autoIncrement: false },
  { table: "time_entries", column: "category_id", autoIncrement: false },
] as const;

/** The seed's foreign keys and their ON DELETE rules. */
const FOREIGN_KEYS = [
  { name: "fk_time_entries_user", column: "user_id", references: "users", onDelete: "CASCADE", accepts: ["CASCADE"] },
  {
    name: "fk_time_entries_category",
    column: "category_id",
    references: "category",
    onDelete: "RESTRICT",
    accepts: ["RESTRICT", "NO ACTION"],
  },
] as const;

/** Unique names, as the seed declared them (0006 moves uniqueness to the name key). */
const NAME_COLUMNS = [
  { table: "users", column: "username", index: "uq_users_username", what: "users" },
  { table: "category", column: "name", index: "uq_category_name", what: "categories" },
] as const;

interface IdRow extends RowDataPacket {
  id: number;
}

interface DuplicateRow extends RowDataPacket {
  ids: unknown;
  sample: unknown;
}

interface CountRow extends RowDataPacket {
  n: number | string;
}

async function useInnoDb({ sql, schema, log }: MigrationContext): Promise<void> {
  for (const table of SEED_TABLES) {
    const info = await schema.table(table);
    if (info && info.engine.toLowerCase() !== "innodb") {
      log.info({ table, engine: info.engine }, "converting table to InnoDB");
      await sql.ddl(`ALTER TABLE ${table} ENGINE=InnoDB`);
    }
  }
}

/** Entries without a user, category or start cannot become TimeEntry objects; say which, change nothing. */
async function refuseRowsTheServiceCannotRead({ sql }: MigrationContext): Promise<void> {
  const rows = await sql.rows<IdRow>(
    "SELECT id FROM time_entries WHERE user_id IS NULL OR category_id IS NULL OR start_time IS NULL ORDER BY id LIMIT 20",
  );
  if (rows.length > 0) {
    throw new Error(
      `Cannot upgrade the database: time_entries ${rows.map((row) => row.id).join(", ")} ` +
        "have no user_id, category_id or start_time. Complete or delete them, then start again; nothing was changed.",
    );
  }
}

function isTargetCollation(columns: Iterable<ColumnInfo>, tableCollation: string | null): boolean {
  if (tableCollation !== COLLATION) return false;
  for (const column of columns) {
    if (column.collation !== null && column.collation !== COLLATION) return false;
  }
  return true;
}

/**
 * Names that were distinct under the old collation (latin1_swedish_ci keeps "Ä" apart from "A";
 * utf8mb4_0900_ai_ci keeps emoji apart) may be equal under utf8mb4_unicode_ci, and the unique
 * index could not be rebuilt. Found before anything changes, so the operator can rename.
 */
async function refuseNamesThatWouldCollide({ sql, schema }: MigrationContext): Promise<void> {
  const problems: string[] = [];
  for (const { table, column, what } of NAME_COLUMNS) {
    const info = await schema.table(table);
    const columns = await schema.columns(table);
    if (isTargetCollation(columns.values(), info?.collation ?? null) && (await schema.hasUniqueIndexOn(table, column))) {
      continue;
    }
    const duplicates = await sql.rows<DuplicateRow>(
      `SELECT GROUP_CONCAT(id ORDER BY id) AS ids, MIN(CONVERT(${column} USING ${CHARSET}) COLLATE ${COLLATION}) AS sample ` +
        `FROM ${table} WHERE ${column} IS NOT NULL ` +
        `GROUP BY CONVERT(${column} USING ${CHARSET}) COLLATE ${COLLATION} HAVING COUNT(*) > 1 LIMIT 10`,
    );
    for (const row of duplicates) {
      problems.push(`${what} with ids ${String(row.ids)} (like '${String(row.sample)}')`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `Cannot upgrade the database: these names are the same name under ${COLLATION} ` +
        `(case and accents ignored): ${problems.join("; ")}. Rename all but one of each, then start again; nothing was changed.`,
    );
  }
}

async function convertToUnicodeCollation({ sql, schema, log }: MigrationContext): Promise<void> {
  for (const table of SEED_TABLES) {
    const info = await schema.table(table);
    const columns = await schema.columns(table);
    if (isTargetCollation(columns.values(), info?.collation ?? null)) continue;
    log.info({ table, from: info?.collation }, `converting table to ${CHARSET} / ${COLLATION}`);
    await sql.ddl(`ALTER TABLE ${table} CONVERT TO CHARACTER SET ${CHARSET} COLLATE ${COLLATION}`);
  }
}

function isUnsignedInt(column: ColumnInfo): boolean {
  return column.dataType === "int" && column.columnType.includes("unsigned");
}

function acceptable(fk: ForeignKeyInfo): boolean {
  return FOREIGN_KEYS.some(
    (wanted) =>
      wanted.column === fk.column &&
      wanted.references === fk.referencedTable &&
      fk.referencedColumn === "id" &&
      (wanted.accepts as readonly string[]).includes(fk.deleteRule),
  );
}

/**
 * INT UNSIGNED NOT NULL ids everywhere (the sessions table references users.id and must match),
 * start_time NOT NULL. A foreign key is dropped first when a column it joins changes type, or
 * when its ON DELETE rule is not the seed's; addForeignKeys puts it back.
 */
async function normalizeKeys({ sql, schema, log }: MigrationContext): Promise<void> {
  const changes = new Map<string, string[]>();
  const changed = new Set<string>();
  for (const key of KEY_COLUMNS) {
    const column = await schema.column(key.table, key.column);
    if (!column) throw new Error(`Column ${key.table}.${key.column} is missing`);
    const autoIncrementOk = !key.autoIncrement || column.extra.includes("auto_increment");
    if (isUnsignedInt(column) && !column.nullable && autoIncrementOk) continue;
    const definition = `MODIFY ${key.column} INT UNSIGNED NOT NULL${key.autoIncrement ? " AUTO_INCREMENT" : ""}`;
    changes.set(key.table, [...(changes.get(key.table) ?? []), definition]);
    changed.add(`${key.table}.${key.column}`);
  }
  const start = await schema.column("time_entries", "start_time");
  if (start?.nullable) {
    changes.set("time_entries", [...(changes.get("time_entries") ?? []), "MODIFY start_time DATETIME NOT NULL"]);
  }

  const stale = (await schema.foreignKeys("time_entries")).filter(
    (fk) =>
      changed.has(`time_entries.${fk.column}`) ||
      changed.has(`${fk.referencedTable}.${fk.referencedColumn}`) ||
      (FOREIGN_KEYS.some((wanted) => wanted.column === fk.column) && !acceptable(fk)),
  );
  const staleNames = [...new Set(stale.map((fk) => fk.name))];
  if (staleNames.length > 0) {
    log.info({ foreignKeys: staleNames }, "dropping foreign keys to re-create them with the seed's types and rules");
    await sql.ddl(`ALTER TABLE time_entries ${staleNames.map((name) => `DROP FOREIGN KEY ${sql.id(name)}`).join(", ")}`);
  }
  for (const [table, clauses] of changes) {
    log.info({ table, changes: clauses }, "normalizing key columns");
    await sql.ddl(`ALTER TABLE ${table} ${clauses.join(", ")}`);
  }
}

async function ensureUniqueNames({ sql, schema, log }: MigrationContext): Promise<void> {
  for (const { table, column, index } of NAME_COLUMNS) {
    if (await schema.hasUniqueIndexOn(table, column)) continue;
    log.info({ table, column }, "adding the unique index the seed declared");
    await sql.ddl(`ALTER TABLE ${table} ADD UNIQUE KEY ${index} (${column})`);
  }
}

/**
 * The seed's foreign keys, where missing. A README-made database without them may hold entries
 * whose user or category is gone; those rows are kept (and still listed), and the key is left
 * out with a warning rather than deleting anything.
 */
async function addForeignKeys({ sql, schema, log }: MigrationContext): Promise<void> {
  const existing = await schema.foreignKeys("time_entries");
  for (const fk of FOREIGN_KEYS) {
    if (existing.some((other) => other.column === fk.column && other.referencedTable === fk.references)) continue;
    const [orphans] = await sql.rows<CountRow>(
      `SELECT COUNT(*) AS n FROM time_entries e LEFT JOIN ${fk.references} p ON p.id = e.${fk.column} WHERE p.id IS NULL`,
    );
    const count = Number(orphans?.n ?? 0);
    if (count > 0) {
      log.warn(
        { foreignKey: fk.name, rows: count },
        `not adding ${fk.name}: ${count} time entries refer to a missing ${fk.references} row (kept as they are)`,
      );
      continue;
    }
    await sql.ddl(
      `ALTER TABLE time_entries ADD CONSTRAINT ${fk.name} FOREIGN KEY (${fk.column}) ` +
        `REFERENCES ${fk.references} (id) ON DELETE ${fk.onDelete}`,
    );
  }
}
