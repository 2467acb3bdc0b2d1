import mysql, { type Connection, type RowDataPacket } from "mysql2/promise";
import type { MySqlConfig } from "../../../config.js";
import { connectionOptions, DEFAULT_TUNING, SESSION_SETUP_SQL } from "../mysql/mysql-database.js";
import { MIGRATIONS_TABLE } from "../mysql/migrations/migrator.js";
import { quoted, type CellValue, type ColumnInfo, type TableAccess, type TableInfo, type TableWriter } from "./table-access.js";

const q = (name: string) => quoted(name, "`");
const PAGE = 1000;
const INSERT_BATCH = 500;

interface ColumnRow extends RowDataPacket {
  table_name: string;
  column_name: string;
  data_type: string;
  extra: string;
  column_key: string;
  ordinal: number;
}

/** SQLite's INTEGER seconds become DATETIMEs; everything else binds as it is. */
function toMySql(value: CellValue, column: ColumnInfo): CellValue {
  if (column.instant && typeof value === "number") return new Date(value * 1000);
  return value;
}

/** A MySQL database's tables, read through information_schema on one connection of its own. */
export class MySqlTables implements TableAccess {
  private constructor(
    private readonly connection: Connection,
    private readonly config: MySqlConfig,
  ) {}

  static async open(config: MySqlConfig): Promise<MySqlTables> {
    const connection = await mysql.createConnection(connectionOptions(config, DEFAULT_TUNING));
    await connection.query(SESSION_SETUP_SQL);
    // MySQL 8 caches information_schema's AUTO_INCREMENT for a day unless told otherwise.
    await connection.query("SET SESSION information_schema_stats_expiry = 0").catch(() => undefined);
    return new MySqlTables(connection, config);
  }

  get description(): string {
    return `mysql://${this.config.host}:${this.config.port}/${this.config.database}`;
  }

  async tables(): Promise<TableInfo[]> {
    const [columns] = await this.connection.execute<ColumnRow[]>(
      "SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name, c.DATA_TYPE AS data_type, c.EXTRA AS extra, " +
        "c.COLUMN_KEY AS column_key, c.ORDINAL_POSITION AS ordinal FROM information_schema.COLUMNS c " +
        "JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME " +
        "WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION",
    );
    const [keys] = await this.connection.execute<RowDataPacket[]>(
      "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, REFERENCED_TABLE_NAME AS referenced, CONSTRAINT_NAME AS constraint_name " +
        "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
    );
    const [autoIncrements] = await this.connection.execute<RowDataPacket[]>(
      "SELECT TABLE_NAME AS table_name, AUTO_INCREMENT AS next_id FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    );
    const byTable = new Map<string, ColumnRow[]>();
    for (const column of columns) {
      if (column.table_name === MIGRATIONS_TABLE) continue;
      byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);
    }
    return [...byTable].map(([name, cols]) => {
      const tableKeys = keys.filter((key) => key.table_name === name);
      const hasAutoIncrement = cols.some((c) => /auto_increment/i.test(c.extra));
      const next = autoIncrements.find((row) => row.table_name === name)?.next_id;
      return {
        name,
        columns: cols
          .filter((c) => !/GENERATED/i.test(c.extra))
          .map((c) => ({
            name: c.column_name,
            instant: /^(datetime|timestamp)$/i.test(c.data_type),
            binary: /binary|blob/i.test(c.data_type),
          })),
        primaryKey: tableKeys.filter((key) => key.constraint_name === "PRIMARY").map((key) => key.column_name as string),
        references: [
          ...new Set(tableKeys.map((key) => key.referenced as string | null).filter((t): t is string => t !== null && t !== name)),
        ],
        nextId: hasAutoIncrement && next != null ? Number(next) : null,
      };
    });
  }

  async count(table: string): Promise<number> {
    const [rows] = await this.connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async *rows(table: TableInfo, columns: readonly string[]): AsyncIterable<CellValue[][]> {
    const sql = `SELECT ${columns.map(q).join(", ")} FROM ${q(table.name)} ORDER BY ${table.primaryKey.map(q).join(", ")} LIMIT ? OFFSET ?`;
    for (let offset = 0; ; offset += PAGE) {
      const [page] = await this.connection.query<RowDataPacket[]>({ sql, rowsAsArray: true }, [PAGE, offset]);
      if (page.length > 0) yield page as unknown as CellValue[][];
      if (page.length < PAGE) return;
    }
  }

  async transaction(work: (write: TableWriter) => Promise<void>): Promise<void> {
    await this.connection.query("START TRANSACTION");
    const writer: TableWriter = {
      deleteAll: async (table) => {
        await this.connection.query(`DELETE FROM ${q(table)}`);
      },
      insert: async (table, columns, rows) => {
        for (let i = 0; i < rows.length; i += INSERT_BATCH) {
          const batch = rows.slice(i, i + INSERT_BATCH).map((row) => row.map((value, j) => toMySql(value, columns[j] as ColumnInfo)));
          await this.connection.query(`INSERT INTO ${q(table.name)} (${columns.map((c) => q(c.name)).join(", ")}) VALUES ?`, [batch]);
        }
      },
    };
    try {
      await work(writer);
      await this.connection.query("COMMIT");
    } catch (error) {
      await this.connection.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async setNextId(table: string, nextId: number): Promise<void> {
    // DDL: MySQL commits around it, so the copy sets the counters before its transaction.
    await this.connection.query(`ALTER TABLE ${q(table)} AUTO_INCREMENT = ${Math.max(1, Math.floor(nextId))}`);
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}
