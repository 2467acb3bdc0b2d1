import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { Logger } from "pino";
import type { SqlValue } from "../mysql-database.js";

/** The charset and collation of every table and text column this service owns. */
export const CHARSET = "utf8mb4";
export const COLLATION = "utf8mb4_unicode_ci";
export const TABLE_OPTIONS = `ENGINE=InnoDB DEFAULT CHARSET=${CHARSET} COLLATE=${COLLATION}`;

/** What a migration is handed: one dedicated connection, holding the migration lock. */
export interface MigrationContext {
  readonly sql: MigrationSql;
  readonly schema: SchemaInspector;
  readonly log: Logger;
}

/** Statements for migrations: DDL has no values; anything with values goes through placeholders. */
export class MigrationSql {
  constructor(private readonly connection: Connection) {}

  async ddl(statement: string): Promise<void> {
    await this.connection.query(statement);
  }

  async rows<T extends RowDataPacket>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.connection.execute<T[]>(sql, [...params]);
    return rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<ResultSetHeader> {
    const [result] = await this.connection.execute<ResultSetHeader>(sql, [...params]);
    return result;
  }

  /** Quotes an identifier read from information_schema (a constraint name the seed's server chose). */
  id(name: string): string {
    return this.connection.escapeId(name);
  }
}

export interface ColumnInfo {
  readonly name: string;
  /** "int", "varchar", "blob", … */
  readonly dataType: string;
  /** "int(10) unsigned" on MariaDB, "int unsigned" on MySQL 8. */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly collation: string | null;
  readonly defaultValue: string | null;
  readonly extra: string;
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly column: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  readonly deleteRule: string;
}

export interface IndexInfo {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

export interface TableInfo {
  readonly engine: string;
  readonly collation: string | null;
  /** "dynamic", "compact", "redundant", "compressed", … */
  readonly rowFormat: string;
}

interface ColumnRow extends RowDataPacket {
  name: unknown;
  dataType: unknown;
  columnType: unknown;
  nullable: unknown;
  collation: unknown;
  defaultValue: unknown;
  extra: unknown;
}

interface ForeignKeyRow extends RowDataPacket {
  name: unknown;
  columnName: unknown;
  referencedTable: unknown;
  referencedColumn: unknown;
  deleteRule: unknown;
}

interface IndexRow extends RowDataPacket {
  name: unknown;
  nonUnique: unknown;
  columnName: unknown;
}

interface TableRow extends RowDataPacket {
  engine: unknown;
  collation: unknown;
  rowFormat: unknown;
}

/** information_schema gives text, or bytes for some columns on some servers; nulls stay null. */
function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return String(value);
}

/**
 * Reads the current shape of the schema from information_schema, so every migration step can
 * check before it acts: a migration interrupted half-way (DDL is not transactional) runs again
 * safely, and a seed database in either of its forms is met where it is.
 */
export class SchemaInspector {
  constructor(private readonly sql: MigrationSql) {}

  async table(table: string): Promise<TableInfo | null> {
    const rows = await this.sql.rows<TableRow>(
      "SELECT ENGINE AS engine, TABLE_COLLATION AS collation, ROW_FORMAT AS rowFormat FROM information_schema.TABLES " +
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'",
      [table],
    );
    const row = rows[0];
    return row
      ? { engine: str(row.engine) ?? "", collation: str(row.collation), rowFormat: (str(row.rowFormat) ?? "").toLowerCase() }
      : null;
  }

  async columns(table: string): Promise<Map<string, ColumnInfo>> {
    const rows = await this.sql.rows<ColumnRow>(
      "SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable, " +
        "COLLATION_NAME AS collation, COLUMN_DEFAULT AS defaultValue, EXTRA AS extra " +
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
      [table],
    );
    const columns = new Map<string, ColumnInfo>();
    for (const row of rows) {
      const name = (str(row.name) ?? "").toLowerCase();
      columns.set(name, {
        name,
        dataType: (str(row.dataType) ?? "").toLowerCase(),
        columnType: (str(row.columnType) ?? "").toLowerCase(),
        nullable: str(row.nullable) === "YES",
        collation: str(row.collation),
        defaultValue: str(row.defaultValue),
        extra: (str(row.extra) ?? "").toLowerCase(),
      });
    }
    return columns;
  }

  async column(table: string, column: string): Promise<ColumnInfo | null> {
    return (await this.columns(table)).get(column) ?? null;
  }

  /** Foreign keys declared on `table`. */
  async foreignKeys(table: string): Promise<ForeignKeyInfo[]> {
    const rows = await this.sql.rows<ForeignKeyRow>(
      "SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS columnName, k.REFERENCED_TABLE_NAME AS referencedTable, " +
        "k.REFERENCED_COLUMN_NAME AS referencedColumn, r.DELETE_RULE AS deleteRule " +
        "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r " +
        "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME " +
        "WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL " +
        "ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      [table],
    );
    return rows.map((row) => ({
      name: str(row.name) ?? "",
      column: (str(row.columnName) ?? "").toLowerCase(),
      referencedTable: (str(row.referencedTable) ?? "").toLowerCase(),
      referencedColumn: (str(row.referencedColumn) ?? "").toLowerCase(),
      deleteRule: (str(row.deleteRule) ?? "").toUpperCase(),
    }));
  }

  async indexes(table: string): Promise<IndexInfo[]> {
    const rows = await this.sql.rows<IndexRow>(
      "SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS columnName FROM information_schema.STATISTICS " +
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX",
      [table],
    );
    const byName = new Map<string, { unique: boolean; columns: string[] }>();
    for (const row of rows) {
      const name = str(row.name) ?? "";
      const entry = byName.get(name) ?? { unique: Number(row.nonUnique) === 0, columns: [] };
      entry.columns.push((str(row.columnName) ?? "").toLowerCase());
      byName.set(name, entry);
    }
    return [...byName].map(([name, entry]) => ({ name, ...entry }));
  }

  async hasIndex(table: string, name: string): Promise<boolean> {
    return (await this.indexes(table)).some((index) => index.name.toLowerCase() === name.toLowerCase());
  }

  /** True when some unique index covers exactly `column`. */
  async hasUniqueIndexOn(table: string, column: string): Promise<boolean> {
    return (await this.indexes(table)).some(
      (index) => index.unique && index.columns.length === 1 && index.columns[0] === column,
    );
  }
}
