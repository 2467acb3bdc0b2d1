import Database from "better-sqlite3";
import { quoted, type CellValue, type ColumnInfo, type TableAccess, type TableInfo, type TableWriter } from "./table-access.js";

const q = (name: string) => quoted(name, '"');
const PAGE = 1000;
/** SQLite's own tables and the migrations' record. */
const SKIPPED = new Set(["schema_migrations", "sqlite_sequence"]);

/** The instants SQLite keeps: INTEGER seconds since the epoch. */
function toSqlite(value: CellValue, column: ColumnInfo): CellValue {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Buffer.isBuffer(value) && !column.binary) return value.toString("utf8");
  return value;
}

/** A SQLite file's tables, read through better-sqlite3 directly. */
export class SqliteTables implements TableAccess {
  private readonly db: Database.Database;
  constructor(readonly path: string) {
    this.db = new Database(path, { fileMustExist: true });
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
  }

  get description(): string {
    return `sqlite:${this.path}`;
  }

  async tables(): Promise<TableInfo[]> {
    const names = this.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => row.name)
      .filter((name) => !SKIPPED.has(name));
    const sequences = new Map(
      this.db.prepare<[], { name: string; seq: number }>("SELECT name, seq FROM sqlite_sequence").all().map((row) => [row.name, row.seq]),
    );
    return names.map((name) => {
      // table_xinfo's `hidden`: 2 and 3 are generated columns.
      const columns = this.db
        .prepare<[string], { name: string; type: string; pk: number; hidden: number }>("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?)")
        .all(name);
      const autoincrement = /AUTOINCREMENT/i.test(
        this.db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_schema WHERE name = ?").get(name)?.sql ?? "",
      );
      const references = this.db
        .prepare<[string], { table: string }>('SELECT "table" FROM pragma_foreign_key_list(?)')
        .all(name)
        .map((row) => row.table)
        .filter((table) => table !== name);
      const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      return {
        name,
        columns: columns
          .filter((c) => c.hidden === 0)
          .map((c) => ({ name: c.name, instant: false, binary: /BLOB/i.test(c.type) })),
        primaryKey: key.length > 0 ? key : ["rowid"],
        references: [...new Set(references)],
        nextId: autoincrement ? (sequences.get(name) ?? 0) + 1 : null,
      };
    });
  }

  async count(table: string): Promise<number> {
    return this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}`).get()!.n;
  }

  async *rows(table: TableInfo, columns: readonly string[]): AsyncIterable<CellValue[][]> {
    const statement = this.db
      .prepare(`SELECT ${columns.map(q).join(", ")} FROM ${q(table.name)} ORDER BY ${table.primaryKey.map(q).join(", ")} LIMIT ? OFFSET ?`)
      .raw(true);
    for (let offset = 0; ; offset += PAGE) {
      const page = statement.all(PAGE, offset) as CellValue[][];
      if (page.length > 0) yield page;
      if (page.length < PAGE) return;
    }
  }

  async transaction(work: (write: TableWriter) => Promise<void>): Promise<void> {
    this.db.exec("BEGIN IMMEDIATE");
    const writer: TableWriter = {
      deleteAll: async (table) => {
        this.db.prepare(`DELETE FROM ${q(table)}`).run();
      },
      insert: async (table, columns, rows) => {
        const insert = this.db.prepare(
          `INSERT INTO ${q(table.name)} (${columns.map((c) => q(c.name)).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        for (const row of rows) insert.run(...row.map((value, i) => toSqlite(value, columns[i] as ColumnInfo)));
      },
    };
    try {
      await work(writer);
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async setNextId(table: string, nextId: number): Promise<void> {
    const seq = nextId - 1;
    const changed = this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = ?").run(seq, table).changes;
    if (changed === 0) this.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)").run(table, seq);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
