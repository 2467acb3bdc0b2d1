import type { RowDataPacket } from "mysql2/promise";
import { CHARSET, type MigrationContext } from "./migration-context.js";

/**
 * Usernames and category names compare under utf8mb4_unicode_520_ci. Like utf8mb4_unicode_ci it
 * ignores case and accents ("Café" = "cafe", "Straße" = "STRASSE"), but it gives characters
 * outside the Basic Multilingual Plane weights of their own: under unicode_ci every emoji equals
 * every other, so "🍎 Fruit" and "🍌 Fruit" were one category. Both MySQL 5.6+ and MariaDB have it.
 *
 * It came closer to the other stores' name key but is not that rule (it takes "ø" for "o" and
 * "æ" for "ae", ignores a zero-width space, tells "ı" from "i"); since 0006 MySQL compares names
 * by the key itself, and this collation decides nothing any more.
 */
export const NAME_COLLATION = "utf8mb4_unicode_520_ci";

const NAME_COLUMNS = [
  { table: "users", column: "username", what: "users" },
  { table: "category", column: "name", what: "categories" },
] as const;

interface DuplicateRow extends RowDataPacket {
  ids: unknown;
  sample: unknown;
}

export async function compareNamesByUca520({ sql, schema, log }: MigrationContext): Promise<void> {
  const pending = [];
  for (const target of NAME_COLUMNS) {
    const column = await schema.column(target.table, target.column);
    if (column && column.collation !== NAME_COLLATION) pending.push({ ...target, nullable: column.nullable });
  }

  // The new collation only tells apart what the old one merged, except for a few BMP characters
  // whose weights changed between UCA 4.0 and 5.2: find any name that would now collide first.
  const problems: string[] = [];
  for (const { table, column, what } of pending) {
    const duplicates = await sql.rows<DuplicateRow>(
      // Rows without a name (README-made tables allow NULL) never collide: a unique index takes many.
      `SELECT GROUP_CONCAT(id ORDER BY id) AS ids, MIN(${column}) AS sample FROM ${table} WHERE ${column} IS NOT NULL ` +
        `GROUP BY ${column} COLLATE ${NAME_COLLATION} HAVING COUNT(*) > 1 LIMIT 10`,
    );
    for (const row of duplicates) problems.push(`${what} with ids ${String(row.ids)} (like '${String(row.sample)}')`);
  }
  if (problems.length > 0) {
    throw new Error(
      `Cannot upgrade the database: these names are the same name under ${NAME_COLLATION}: ` +
        `${problems.join("; ")}. Rename all but one of each, then start again; nothing was changed.`,
    );
  }

  for (const { table, column, nullable } of pending) {
    log.info({ table, column, collation: NAME_COLLATION }, "changing the collation of names");
    await sql.ddl(
      `ALTER TABLE ${table} MODIFY ${column} VARCHAR(100) CHARACTER SET ${CHARSET} COLLATE ${NAME_COLLATION} ${nullable ? "NULL" : "NOT NULL"}`,
    );
  }
}
