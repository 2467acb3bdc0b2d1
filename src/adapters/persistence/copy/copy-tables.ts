import { createHash } from "node:crypto";
import type { CellValue, ColumnInfo, TableAccess, TableInfo } from "./table-access.js";

export interface CopiedTable {
  readonly name: string;
  readonly rows: number;
  /** SHA-256 over the table's rows (order-free), equal on both sides. */
  readonly checksum: string;
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyRefused";
  }
}

/** One canonical text per value, whichever store it came from (instants as epoch seconds, bytes as UTF-8). */
function canonical(value: CellValue): string {
  if (value === null) return "\u0000null";
  // SQLite keeps instants as INTEGER seconds: a MySQL DATETIME reads as the same number.
  if (value instanceof Date) return `n${Math.floor(value.getTime() / 1000)}`;
  if (Buffer.isBuffer(value)) return `s${value.toString("utf8")}`;
  if (typeof value === "number" || typeof value === "bigint") return `n${String(value)}`;
  return `s${value}`;
}

/**
 * Tables in foreign-key order (a table after every table it points at); a cycle is reported.
 * Ties keep the alphabetical order the stores list tables in.
 */
export function foreignKeyOrder(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: TableInfo[] = [];
  const visit = (table: TableInfo) => {
    if (done.has(table.name)) return;
    if (visiting.has(table.name)) throw new CopyRefused(`foreign keys form a cycle through ${table.name}`);
    visiting.add(table.name);
    for (const name of table.references) {
      const referenced = byName.get(name);
      if (referenced) visit(referenced);
    }
    visiting.delete(table.name);
    done.add(table.name);
    order.push(table);
  };
  for (const table of tables) visit(table);
  return order;
}

async function checksum(access: TableAccess, table: TableInfo, columns: readonly string[]): Promise<{ rows: number; checksum: string }> {
  // Row hashes are sorted before they are combined: text keys sort differently under SQLite's
  // binary order and MySQL's collations, and the same rows must give the same sum.
  const hashes: string[] = [];
  for await (const page of access.rows(table, columns)) {
    for (const row of page) hashes.push(createHash("sha256").update(row.map(canonical).join("\u0001")).digest("hex"));
  }
  hashes.sort();
  const sum = createHash("sha256");
  for (const hash of hashes) sum.update(hash);
  return { rows: hashes.length, checksum: sum.digest("hex") };
}

/**
 * A table of the target that may hold rows before the copy: one without an auto-increment id,
 * holding at most one row, is a singleton its migrations made (instance settings, a lock row);
 * the copy replaces it with the source's. Any other row means the target is in use.
 */
const isMigrationSeed = (table: TableInfo, rows: number) => table.nextId === null && rows <= 1;

export interface CopyOptions {
  /** Called after each table is written, inside the transaction (tests make a copy fail there). */
  readonly afterTable?: (table: string) => void | Promise<void>;
  readonly log?: (line: string) => void;
}

/**
 * Copies every table of `source` into `target`, both already migrated to this build's schema.
 * The tables and columns come from the target's schema (tables the source lacks are left as the
 * migrations made them; columns only one side has are left to the target's defaults), in
 * foreign-key order, with their ids and auto-increment counters. The rows are written in ONE
 * transaction, so a copy that fails leaves the target as empty as it found it and can simply be
 * run again. Refuses a target that holds data. Verifies each table's count and checksum.
 */
export async function copyTables(source: TableAccess, target: TableAccess, options: CopyOptions = {}): Promise<CopiedTable[]> {
  const log = options.log ?? (() => undefined);
  const sourceTables = new Map((await source.tables()).map((table) => [table.name, table]));
  const targetTables = await target.tables();
  const targetNames = new Set(targetTables.map((table) => table.name));

  for (const [name, table] of sourceTables) {
    // A store's own singleton (MySQL's instance_lock row) has no counterpart to copy into.
    if (!targetNames.has(name) && !isMigrationSeed(table, await source.count(name))) {
      throw new CopyRefused(`the target has no table ${name}: run a build that knows it (its rows would be lost)`);
    }
  }
  for (const table of targetTables) {
    const rows = await target.count(table.name);
    if (rows > 0 && !isMigrationSeed(table, rows)) {
      throw new CopyRefused(`the target is not empty: ${table.name} has ${rows} row(s); copy into an empty database`);
    }
  }

  const plan = foreignKeyOrder(targetTables.filter((table) => sourceTables.has(table.name))).map((table) => {
    const from = sourceTables.get(table.name) as TableInfo;
    const shared = new Set(from.columns.map((column) => column.name));
    const columns: ColumnInfo[] = table.columns.filter((column) => shared.has(column.name));
    return { table, from, columns };
  });

  // Counters first: on MySQL that is DDL, which cannot be part of the transaction below.
  for (const { table, from } of plan) {
    if (table.nextId !== null && from.nextId !== null) await target.setNextId(table.name, from.nextId);
  }

  await target.transaction(async (write) => {
    for (const { table } of [...plan].reverse()) await write.deleteAll(table.name);
    for (const { table, from, columns } of plan) {
      let copied = 0;
      for await (const page of source.rows(from, columns.map((column) => column.name))) {
        await write.insert(table, columns, page);
        copied += page.length;
      }
      log(`copied ${table.name}: ${copied} row(s)`);
      await options.afterTable?.(table.name);
    }
  });

  const report: CopiedTable[] = [];
  for (const { table, from, columns } of plan) {
    const names = columns.map((column) => column.name);
    const [expected, actual] = [await checksum(source, from, names), await checksum(target, table, names)];
    if (expected.rows !== actual.rows || expected.checksum !== actual.checksum) {
      throw new Error(
        `verification failed for ${table.name}: source ${expected.rows} row(s) ${expected.checksum.slice(0, 12)}, ` +
          `target ${actual.rows} row(s) ${actual.checksum.slice(0, 12)}`,
      );
    }
    report.push({ name: table.name, rows: actual.rows, checksum: actual.checksum });
  }
  return report;
}
