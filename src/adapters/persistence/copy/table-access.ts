/** A value as read from either store: numbers, text, bytes, instants (MySQL DATETIME), nulls. */
export type CellValue = string | number | bigint | Buffer | Date | null;

/** A column as the copy needs it: its name and whether it holds an instant or bytes. */
export interface ColumnInfo {
  readonly name: string;
  /** DATETIME/TIMESTAMP on MySQL; SQLite keeps instants as INTEGER seconds. */
  readonly instant: boolean;
  /** VARBINARY/BLOB on MySQL; SQLite keeps the same values as TEXT. */
  readonly binary: boolean;
}

export interface TableInfo {
  readonly name: string;
  /** Columns a row is written with: generated columns are left out (the database computes them). */
  readonly columns: readonly ColumnInfo[];
  /** The primary key's columns, in order: rows are read (and checksummed) in this order. */
  readonly primaryKey: readonly string[];
  /** Tables this one's foreign keys point at (itself excluded). */
  readonly references: readonly string[];
  /** The next id the table's auto-increment would give, or null when it has none. */
  readonly nextId: number | null;
}

/**
 * The raw tables of one store, for copying between stores: the schema as the database reports
 * it (so tables other branches add are copied without changes here), rows in primary-key order,
 * and one transaction for all the writes.
 */
export interface TableAccess {
  readonly description: string;
  /** Every table of the application's schema (the migrations' own bookkeeping left out). */
  tables(): Promise<TableInfo[]>;
  count(table: string): Promise<number>;
  /** The rows of `table`, `columns` in order, by primary key, a page at a time. */
  rows(table: TableInfo, columns: readonly string[]): AsyncIterable<CellValue[][]>;
  /** Runs `work` in one transaction; nothing of it stays when it throws. */
  transaction(work: (write: TableWriter) => Promise<void>): Promise<void>;
  /** Makes the table's auto-increment give `nextId` next (ids of deleted rows are not given again). */
  setNextId(table: string, nextId: number): Promise<void>;
  close(): Promise<void>;
}

export interface TableWriter {
  deleteAll(table: string): Promise<void>;
  insert(table: TableInfo, columns: readonly ColumnInfo[], rows: readonly CellValue[][]): Promise<void>;
}

/** Quotes an identifier read from the schema (never a value): `name` with backticks doubled. */
export function quoted(name: string, quote: "`" | '"'): string {
  return `${quote}${name.replaceAll(quote, quote + quote)}${quote}`;
}
