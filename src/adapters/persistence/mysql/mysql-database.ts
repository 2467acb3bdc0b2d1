import mysql, {
  type ConnectionOptions,
  type Pool,
  type PoolConnection,
  type ResultSetHeader,
  type RowDataPacket,
} from "mysql2/promise";
import { StoreUnavailable } from "../../../application/ports/store.js";
import type { MySqlConfig } from "../../../config.js";
import { isConnectFailure, spoilsConnection, translateError } from "./mysql-errors.js";
import { StatementWatchdog } from "./statement-watchdog.js";

/** What a statement may bind: mysql2's execute() refuses `undefined`, and so does this type. */
export type SqlValue = string | number | Date | Buffer | null;

/** Runs parameterized statements; repositories see nothing else of the driver. */
export interface SqlRunner {
  select<T extends RowDataPacket>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  change(sql: string, params?: readonly SqlValue[]): Promise<ResultSetHeader>;
}

export interface MySqlTuning {
  /** Connections waiting beyond this many are refused at once (StoreUnavailable) instead of queueing. */
  readonly queueLimit: number;
  /** How long opening a TCP connection and the handshake may take. */
  readonly connectTimeoutMs: number;
  /** How long a caller may wait for a pooled connection before the store is reported unavailable. */
  readonly acquireTimeoutMs: number;
  /** Client-side limit for one statement; a silent server does not hang a request forever (see StatementWatchdog). */
  readonly statementTimeoutMs: number;
}

export const DEFAULT_TUNING: MySqlTuning = {
  queueLimit: 500,
  connectTimeoutMs: 3_000,
  acquireTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
};

/** Prepared statements the pool keeps open on the server, at most: half its default limit. */
export const MAX_PREPARED_STATEMENTS = 8_000;

/** Options shared by every connection this adapter opens. */
export function connectionOptions(config: MySqlConfig, tuning: MySqlTuning): ConnectionOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    // utf8mb4 with the collation the schema uses, so literals compare as columns do.
    charset: "utf8mb4_unicode_ci",
    // DATETIME columns hold UTC; read and write them as UTC whatever the process's zone.
    timezone: "Z",
    connectTimeout: tuning.connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    multipleStatements: false,
    // execute() prepares each distinct statement text once per connection and keeps it (the text
    // varies with the number of users and buckets of a report). mysql2 would keep 16,000 per
    // connection, but the server's max_prepared_stmt_count (16,382 by default) counts all
    // connections together: the pool keeps at most half of it, the oldest closed first.
    maxPreparedStatements: Math.max(16, Math.floor(MAX_PREPARED_STATEMENTS / Math.max(1, config.poolSize))),
    // mysql2 would capture a stack trace on every statement to decorate errors; that cost every
    // request several microseconds per statement, and translateError gives errors their meaning.
    trace: false,
  };
}

/**
 * Per-session settings, run once on every new connection: UTC for NOW()/CURRENT_TIMESTAMP, strict
 * mode whatever the server's default (a too-long value is an error, never silently cut), and a
 * row-lock wait (20 s) shorter than the client's statement timeout, so contention ends in a clean
 * error rather than a dropped connection.
 */
export const SESSION_SETUP_SQL =
  "SET time_zone = '+00:00', " +
  "sql_mode = IF(@@SESSION.sql_mode LIKE '%STRICT%', @@SESSION.sql_mode, " +
  "CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES')), " +
  "innodb_lock_wait_timeout = 20";

/** A DATETIME holds whole seconds: drop the milliseconds here rather than let the server round them. */
export function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Settles as `work` does, or rejects with StoreUnavailable after `ms`; `work` itself is not cancelled. */
export function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(message)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The mysql2 pools (one for single statements, one for transactions) and the rules for using
 * them: a connection is set up once when new, a caller waits a bounded time for one, a statement
 * gets a bounded time to answer, and a connection that saw a connection-level error is destroyed,
 * never returned to its pool.
 */
export class MySqlDatabase {
  /** Single statements, each committed on its own (autocommit). */
  private readonly pool: Pool;
  /**
   * Transactions only: these connections run with autocommit off, so a transaction begins with
   * its first statement and ends with COMMIT or ROLLBACK, without a round trip for
   * START TRANSACTION. Every use ends in COMMIT or ROLLBACK (or the connection is destroyed), so
   * no connection goes back to this pool inside a transaction.
   */
  private readonly transactionPool: Pool;
  private readonly prepared = new WeakSet<object>();
  /** Callers waiting for a connection, each able to be told at once that the server is gone. */
  private readonly waiting = new Set<(reason: StoreUnavailable) => void>();
  private readonly watchdog: StatementWatchdog;
  private readonly poolSize: number;

  constructor(
    config: MySqlConfig,
    readonly tuning: MySqlTuning,
  ) {
    this.watchdog = new StatementWatchdog(tuning.statementTimeoutMs);
    const poolOptions = {
      ...connectionOptions(config, tuning),
      connectionLimit: config.poolSize,
      maxIdle: config.poolSize,
      idleTimeout: 60_000,
      waitForConnections: true,
      queueLimit: tuning.queueLimit,
    };
    this.poolSize = config.poolSize;
    this.pool = mysql.createPool(poolOptions);
    this.transactionPool = mysql.createPool(poolOptions);
  }

  /** A connection of its own, set up for this adapter; the caller must `release` it. */
  acquire(): Promise<PoolConnection> {
    return this.acquireFrom(this.pool, SESSION_SETUP_SQL);
  }

  /**
   * A connection with autocommit off: its first statement begins a transaction. The caller must
   * end it with COMMIT or ROLLBACK before `release`, or destroy the connection.
   */
  acquireForTransaction(): Promise<PoolConnection> {
    return this.acquireFrom(this.transactionPool, `${SESSION_SETUP_SQL}, autocommit = 0`);
  }

  private async acquireFrom(pool: Pool, setupSql: string): Promise<PoolConnection> {
    const pending = pool.getConnection();
    let abandon: (reason: StoreUnavailable) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    abandoned.catch(() => undefined);
    this.waiting.add(abandon);
    let connection: PoolConnection;
    try {
      connection = await withDeadline(
        Promise.race([pending, abandoned]),
        this.tuning.acquireTimeoutMs,
        `No MySQL connection became free within ${this.tuning.acquireTimeoutMs} ms`,
      );
    } catch (error) {
      // Whatever arrives after the caller gave up goes straight back to the pool.
      pending.then(
        (late) => late.release(),
        () => undefined,
      );
      const failure = translateError(error);
      if (failure instanceof StoreUnavailable && isConnectFailure(error)) {
        // The server cannot be reached: the callers queued behind this one would only learn the
        // same after a connect timeout each. Tell them now.
        for (const other of [...this.waiting]) other(failure);
      }
      throw failure;
    } finally {
      this.waiting.delete(abandon);
    }
    if (!this.prepared.has(connection.connection)) {
      try {
        await this.watchdog.watch(connection, connection.query(setupSql));
      } catch (error) {
        connection.destroy();
        throw translateError(error);
      }
      this.prepared.add(connection.connection);
    }
    return connection;
  }

  /** Gives a connection back, or destroys it when `error` says it can no longer be trusted. */
  release(connection: PoolConnection, error?: unknown): void {
    if (error !== undefined && spoilsConnection(error)) connection.destroy();
    else connection.release();
  }

  /** Statements on whichever pooled connection is free; each call holds one only while it runs. */
  readonly runner: SqlRunner = {
    select: async <T extends RowDataPacket>(sql: string, params: readonly SqlValue[] = []) => {
      const connection = await this.acquire();
      try {
        const rows = await this.bound(connection).select<T>(sql, params);
        this.release(connection);
        return rows;
      } catch (error) {
        this.release(connection, error);
        throw error;
      }
    },
    change: async (sql: string, params: readonly SqlValue[] = []) => {
      const connection = await this.acquire();
      try {
        const result = await this.bound(connection).change(sql, params);
        this.release(connection);
        return result;
      } catch (error) {
        this.release(connection, error);
        throw error;
      }
    },
  };

  /** Statements on one connection (a transaction's). */
  bound(connection: PoolConnection): SqlRunner {
    const watchdog = this.watchdog;
    return {
      async select<T extends RowDataPacket>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
        try {
          const [rows] = await watchdog.watch(connection, connection.execute<T[]>(sql, [...params]));
          return rows;
        } catch (error) {
          throw translateError(error);
        }
      },
      async change(sql: string, params: readonly SqlValue[] = []): Promise<ResultSetHeader> {
        try {
          const [result] = await watchdog.watch(connection, connection.execute<ResultSetHeader>(sql, [...params]));
          return result;
        } catch (error) {
          throw translateError(error);
        }
      },
    };
  }

  /** A statement without parameters or results (COMMIT, ROLLBACK) on one connection. */
  async command(connection: PoolConnection, sql: string): Promise<void> {
    await this.watchdog.watch(connection, connection.query(sql));
  }

  /**
   * Both pools' connections, read from mysql2's pool (it has no public API for this; the fields
   * are read defensively, so a driver that renames them reports zeros instead of failing).
   */
  poolUsage(): { open: number; inUse: number; waiting: number; limit: number } {
    let open = 0;
    let idle = 0;
    let waiting = 0;
    for (const pool of [this.pool, this.transactionPool]) {
      const core = (pool as unknown as { pool?: Record<string, unknown> }).pool ?? {};
      // Queues of mysql2's own (not arrays), each with a length.
      const count = (field: string) => {
        const length = (core[field] as { length?: unknown } | undefined)?.length;
        return typeof length === "number" ? length : 0;
      };
      open += count("_allConnections");
      idle += count("_freeConnections");
      waiting += count("_connectionQueue");
    }
    return { open, inUse: open - idle, waiting, limit: 2 * this.poolSize };
  }

  async close(): Promise<void> {
    this.watchdog.close();
    await Promise.all([this.pool.end(), this.transactionPool.end()]);
  }
}
