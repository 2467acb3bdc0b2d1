import type { RowDataPacket } from "mysql2/promise";
import type { SqlValue } from "../mysql-database.js";
import { isDuplicateKey } from "../mysql-errors.js";
import { NAME_KEY_TYPE, storedNameKeyOfRow } from "../name-keys.js";
import type { MigrationContext, MigrationSql } from "./migration-context.js";

/**
 * Usernames and category names compare by the service's own rule on every store: the domain's
 * nameKey (Unicode NFKD, combining marks dropped, case folded), kept in a `name_key` column with a
 * UNIQUE index and compared as bytes (see name-keys.ts). Until now MySQL compared them by the
 * name column's collation (0005), which disagrees with that rule: it takes "ø" for "o", "æ" for
 * "ae" and ignores a zero-width space, yet tells "ı" from "i".
 *
 * Only JavaScript computes nameKey, so the keys are computed here, a batch of rows at a time.
 * Every step looks before it acts, so a run interrupted half-way (DDL is not transactional) is
 * completed by the next one:
 * 1. names that would share a key stop the migration before anything changes, listed by id;
 * 2. `name_key` is added, nullable;
 * 3. every row whose stored key is missing or is not its name's gets its key;
 * 4. one ALTER per table makes `name_key` NOT NULL, adds its UNIQUE index, drops the old unique
 *    index on the name (whatever the seed's server called it) and, for a table in an older row
 *    format, turns on DYNAMIC rows, without which an index holds 767 bytes only.
 */
export async function compareNamesByKey(context: MigrationContext): Promise<void> {
  await refuseNamesThatWouldShareAKey(context);
  await addKeyColumns(context);
  await fillKeys(context);
  await indexKeys(context);
}

const NAME_TABLES = [
  { table: "users", column: "username", index: "uq_users_name_key", what: "users" },
  { table: "category", column: "name", index: "uq_category_name_key", what: "categories" },
] as const;

type NameTable = (typeof NAME_TABLES)[number];

/** Rows read, and written, per statement. */
export const NAME_KEY_BATCH_SIZE = 1000;

/** How many groups of names sharing a key the refusal lists. */
const MAX_LISTED = 20;

interface NameRow extends RowDataPacket {
  id: number;
  name: unknown;
  nameKey?: unknown;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
}

/** Every row of the table (id, name, and the stored key if asked), a batch at a time in id order. */
async function* batches(sql: MigrationSql, { table, column }: NameTable, withKey: boolean): AsyncGenerator<NameRow[]> {
  let after = -1;
  for (;;) {
    const rows = await sql.rows<NameRow>(
      `SELECT id, ${column} AS name${withKey ? ", name_key AS nameKey" : ""} FROM ${table} ` +
        "WHERE id > ? ORDER BY id LIMIT ?",
      [after, String(NAME_KEY_BATCH_SIZE)],
    );
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < NAME_KEY_BATCH_SIZE || !last) return;
    after = Number(last.id);
  }
}

async function refuseNamesThatWouldShareAKey({ sql }: MigrationContext, outcome = "nothing was changed"): Promise<void> {
  const groups: string[] = [];
  let unlisted = 0;
  for (const target of NAME_TABLES) {
    const first = new Map<string, { id: number; name: string }>();
    const shared = new Map<string, { ids: number[]; names: string[] }>();
    for await (const rows of batches(sql, target, false)) {
      for (const row of rows) {
        const id = Number(row.id);
        const name = text(row.name);
        const key = storedNameKeyOfRow(id, name).toString("latin1");
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, { id, name: name ?? "" });
          continue;
        }
        const group = shared.get(key) ?? { ids: [earlier.id], names: [earlier.name] };
        group.ids.push(id);
        group.names.push(name ?? "");
        shared.set(key, group);
      }
    }
    for (const { ids, names } of shared.values()) {
      if (groups.length >= MAX_LISTED) unlisted++;
      else groups.push(`${target.what} with ids ${ids.join(", ")} (${names.map((name) => `'${name}'`).join(", ")})`);
    }
  }
  if (groups.length > 0) {
    throw new Error(
      "Cannot upgrade the database: these names are the same name under the service's rule for names " +
        `(Unicode NFKD, combining marks dropped, case folded): ${groups.join("; ")}` +
        `${unlisted > 0 ? `; and ${unlisted} more` : ""}. Rename all but one of each, then start again; ${outcome}.`,
    );
  }
}

async function addKeyColumns({ sql, schema, log }: MigrationContext): Promise<void> {
  for (const { table, column } of NAME_TABLES) {
    if (await schema.column(table, "name_key")) continue;
    log.info({ table }, "adding the name key column");
    await sql.ddl(`ALTER TABLE ${table} ADD COLUMN name_key ${NAME_KEY_TYPE} NULL AFTER ${column}`);
  }
}

async function fillKeys({ sql, log }: MigrationContext): Promise<void> {
  for (const target of NAME_TABLES) {
    let written = 0;
    for await (const rows of batches(sql, target, true)) {
      const keyed = rows.map((row) => ({ id: Number(row.id), key: storedNameKeyOfRow(Number(row.id), text(row.name)) }));
      const stale = keyed.some(({ key }, i) => {
        const stored = rows[i]?.nameKey;
        return !Buffer.isBuffer(stored) || !stored.equals(key);
      });
      if (!stale) continue;
      // The whole batch in one statement; its text is the same for every full batch.
      const params: SqlValue[] = keyed.flatMap(({ id, key }) => [id, key]);
      params.push(...keyed.map(({ id }) => id));
      await sql.run(
        `UPDATE ${target.table} SET name_key = CASE id ${keyed.map(() => "WHEN ? THEN ?").join(" ")} END ` +
          `WHERE id IN (${keyed.map(() => "?").join(", ")})`,
        params,
      );
      written += keyed.length;
    }
    if (written > 0) log.info({ table: target.table, rows: written }, "stored the name keys");
  }
}

async function indexKeys(context: MigrationContext): Promise<void> {
  const { sql, schema, log } = context;
  for (const { table, column, index } of NAME_TABLES) {
    const clauses: string[] = [];
    const info = await schema.table(table);
    if (info && (info.rowFormat === "compact" || info.rowFormat === "redundant")) clauses.push("ROW_FORMAT=DYNAMIC");
    const key = await schema.column(table, "name_key");
    if (!key || key.nullable || key.columnType !== NAME_KEY_TYPE.toLowerCase()) {
      clauses.push(`MODIFY name_key ${NAME_KEY_TYPE} NOT NULL`);
    }
    const unique = (await schema.indexes(table)).filter((candidate) => candidate.unique && candidate.columns.length === 1);
    if (!unique.some((candidate) => candidate.columns[0] === "name_key")) clauses.push(`ADD UNIQUE KEY ${index} (name_key)`);
    for (const old of unique.filter((candidate) => candidate.columns[0] === column)) clauses.push(`DROP INDEX ${sql.id(old.name)}`);
    if (clauses.length === 0) continue;

    log.info({ table, changes: clauses }, "indexing the name keys");
    try {
      await sql.ddl(`ALTER TABLE ${table} ${clauses.join(", ")}`);
    } catch (error) {
      // A row written by an older version since step 1 may share a key: say which, if so.
      if (isDuplicateKey(error)) await refuseNamesThatWouldShareAKey(context, "the keys are stored but not yet indexed");
      throw error;
    }
  }
}
