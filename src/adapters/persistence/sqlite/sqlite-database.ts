import { AsyncLocalStorage } from "node:async_hooks";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { ReferencedRowMissing, StoreUnavailable } from "../../../application/ports/store.js";
import { WriteLock } from "./write-lock.js";

type Driver = Database.Database;
type Statement<R> = Database.Statement<unknown[], R>;

/** What the store reports about its file; pino's logger fits. */
export interface SqliteLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SqliteDatabaseOptions {
  /** How long a write waits for another connection (another process) to finish its transaction. */
  readonly busyTimeoutMs: number;
  readonly logger?: SqliteLogger | undefined;
}

/** The path SQLite treats as a private database in memory rather than a file. */
export const IN_MEMORY = ":memory:";

/**
 * How long the driver may block the event loop waiting for a lock held by another connection.
 * Kept short: the rest of the wait happens asynchronously (see `retryWhileBusy`), so a process
 * waiting for the lock still serves other requests, and two stores in one process (as in tests)
 * cannot freeze each other.
 */
const BLOCKING_BUSY_WAIT_MS = 10;
const MAX_BACKOFF_MS = 50;

/** One SQLite connection and the statements prepared on it, each prepared once and reused. */
export class Connection {
  private readonly statements = new Map<string, Statement<unknown>>();
  private readonly rawStatements = new Map<string, Statement<unknown>>();
  /**
   * better-sqlite3's transaction wrapper, made once: it runs a change between BEGIN and COMMIT,
   * or between SAVEPOINT and RELEASE when a transaction is open, deciding at each call. A wrapper
   * made per write (four closures and their properties each time) was about 2 s of the 20 s of
   * CPU a 100,000-row import took.
   */
  private readonly atomic: Database.Transaction<(change: (connection: Connection) => unknown, connection: Connection) => unknown>;

  constructor(readonly driver: Driver) {
    this.atomic = driver.transaction((change: (connection: Connection) => unknown, connection: Connection) => change(connection));
  }

  /** Runs `change` in a transaction of its own (BEGIN IMMEDIATE), or as a savepoint inside the open one. */
  atomically<T>(change: (connection: Connection) => T, mode: "immediate" | "savepoint"): T {
    return (mode === "immediate" ? this.atomic.immediate(change, this) : this.atomic(change, this)) as T;
  }

  statement<R = unknown>(sql: string): Statement<R> {
    return this.prepared(this.statements, sql, false) as Statement<R>;
  }

  /**
   * The same, giving each row as an array of its columns in SELECT order: for reads of many
   * rows, about half the driver's cost of building an object per row.
   */
  rawStatement<R extends readonly unknown[]>(sql: string): Statement<R> {
    return this.prepared(this.rawStatements, sql, true) as Statement<R>;
  }

  private prepared(cache: Map<string, Statement<unknown>>, sql: string, raw: boolean): Statement<unknown> {
    let statement = cache.get(sql);
    if (!statement) {
      statement = this.driver.prepare<unknown[], unknown>(sql);
      if (raw) statement.raw(true);
      cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * How repositories reach the database. `read` runs queries that change nothing; `write` runs
 * statements that change data, atomically (all of `change` or none of it).
 */
export interface SqlAccess {
  read<T>(query: (connection: Connection) => T): Promise<T>;
  write<T>(change: (connection: Connection) => T): Promise<T>;
}

const UNAVAILABLE_CODES = [
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "SQLITE_FULL",
  "SQLITE_READONLY",
  "SQLITE_CORRUPT",
  "SQLITE_NOTADB",
  "SQLITE_PROTOCOL",
  "SQLITE_NOMEM",
  "SQLITE_NOLFS",
];

function sqliteCode(error: unknown): string | null {
  return error instanceof Database.SqliteError ? error.code : null;
}

function hasBaseCode(code: string | null, base: string): boolean {
  return code !== null && (code === base || code.startsWith(`${base}_`));
}

function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return hasBaseCode(code, "SQLITE_BUSY") || hasBaseCode(code, "SQLITE_LOCKED");
}

/** True for a UNIQUE (or primary key) violation on the named index column, e.g. "users.name_key". */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const code = sqliteCode(error);
  return (
    (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") &&
    error instanceof Error &&
    error.message.includes(column)
  );
}

/**
 * The database cannot do its job (locked too long, disk full, I/O error): the API answers 503.
 * A failed foreign key means a row the write refers to is gone: ReferencedRowMissing (404).
 */
function translate(error: unknown): unknown {
  const code = sqliteCode(error);
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return new ReferencedRowMissing(undefined, { cause: error });
  if (UNAVAILABLE_CODES.some((base) => hasBaseCode(code, base))) {
    return new StoreUnavailable(`The SQLite database is unavailable (${code})`, { cause: error });
  }
  return error;
}

function guarded<T>(statements: () => T): T {
  try {
    return statements();
  } catch (error) {
    throw translate(error);
  }
}

/**
 * The repositories handed to one transaction's `work`: every statement runs on the writer
 * connection, inside the transaction the write lock guards. Once the transaction has ended, they
 * refuse to run, so a promise left dangling by `work` cannot write outside it.
 */
class UnitOfWork implements SqlAccess {
  private active = true;

  constructor(private readonly connection: Connection) {}

  get isActive(): boolean {
    return this.active;
  }

  end(): void {
    this.active = false;
  }

  async read<T>(query: (connection: Connection) => T): Promise<T> {
    this.check();
    return guarded(() => query(this.connection));
  }

  async write<T>(change: (connection: Connection) => T): Promise<T> {
    this.check();
    // A savepoint: a statement that fails halfway through `change` leaves nothing behind, and
    // the transaction goes on (work may catch a domain error and carry on).
    return guarded(() => this.connection.atomically(change, "savepoint"));
  }

  private check(): void {
    if (!this.active) {
      throw new Error("This unit of work has ended: its repositories cannot be used any more");
    }
    if (!this.connection.driver.inTransaction) {
      // SQLite rolls a transaction back by itself after some errors (a full disk, say); running
      // on would write outside any transaction.
      throw new StoreUnavailable("The SQLite database ended the transaction early");
    }
  }
}

/** Creates the folder (owner only) and an empty database file readable by its owner alone. */
function prepareFile(path: string, logger: SqliteLogger | undefined): void {
  const folder = dirname(path);
  const createdFolder = mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (createdFolder !== undefined) logger?.info({ folder }, "created the folder for the SQLite database");
  try {
    closeSync(openSync(path, "wx", 0o600));
    logger?.info({ file: path }, "created a new SQLite database file");
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
  }
}

/** The database file and its -wal/-shm companions: readable and writable by their owner only. */
function restrictModes(path: string, logger: SqliteLogger | undefined): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      logger?.warn({ file, was: mode.toString(8) }, "restricted the SQLite file to its owner (0600)");
    }
  }
}

/** A connection whose busy_timeout is `busyTimeoutMs`, with foreign keys enforced. */
function connect(path: string, busyTimeoutMs: number): Driver {
  const driver = new Database(path, { timeout: busyTimeoutMs });
  driver.pragma("foreign_keys = ON");
  return driver;
}

/**
 * The SQLite database behind a store: one writer connection and, for a file, one reader.
 *
 * better-sqlite3 is synchronous while use cases are async. A transaction stays open while its
 * `work` awaits, and meanwhile other requests run on the same event loop. So:
 * - every transaction and every write outside one goes through one `WriteLock`, in order, on the
 *   writer connection; a write outside a transaction waits until the open one has committed or
 *   rolled back, and so can neither fail on a nested BEGIN nor be undone by someone else's
 *   ROLLBACK after it was acknowledged;
 * - plain reads outside a transaction use the reader connection and need no lock: in WAL mode
 *   it sees the last committed state, never another request's uncommitted writes;
 * - code running inside a transaction (found through AsyncLocalStorage) uses that transaction
 *   even when it calls the store's shared repositories, instead of waiting for a lock it holds;
 * - other processes on the same file are kept out by BEGIN IMMEDIATE; while one of them holds
 *   the lock, this one waits asynchronously (short blocking waits, then backoff) up to
 *   `busyTimeoutMs`, then answers StoreUnavailable.
 * `:memory:` has no second connection to the same data, so there reads take the lock too.
 */
export class SqliteDatabase implements SqlAccess {
  private readonly lock = new WriteLock();
  private readonly units = new AsyncLocalStorage<UnitOfWork>();
  private closing: Promise<void> | null = null;

  private constructor(
    /** Absolute path of the file, or ":memory:". */
    readonly path: string,
    private readonly writer: Connection,
    private readonly reader: Connection | null,
    private readonly busyTimeoutMs: number,
  ) {}

  static open(file: string, options: SqliteDatabaseOptions): SqliteDatabase {
    const { busyTimeoutMs, logger } = options;
    const inMemory = file === IN_MEMORY;
    const path = inMemory ? IN_MEMORY : resolve(file);
    let writer: Driver | null = null;
    try {
      if (!inMemory) prepareFile(path, logger);
      writer = connect(path, busyTimeoutMs);
      if (!inMemory) {
        const mode = writer.pragma("journal_mode = WAL", { simple: true });
        if (mode !== "wal") {
          logger?.warn({ file: path, journalMode: mode }, "SQLite could not switch to WAL; reads may wait for writes");
        }
      }
      // Every commit reaches the disk before it is acknowledged.
      writer.pragma("synchronous = FULL");
      // Waits longer than this happen asynchronously, between attempts.
      writer.pragma(`busy_timeout = ${BLOCKING_BUSY_WAIT_MS}`);
      let reader: Connection | null = null;
      if (!inMemory) {
        const readerDriver = connect(path, busyTimeoutMs);
        readerDriver.pragma("query_only = ON");
        reader = new Connection(readerDriver);
        restrictModes(path, logger);
      }
      return new SqliteDatabase(path, new Connection(writer), reader, busyTimeoutMs);
    } catch (error) {
      writer?.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailable(`Cannot open the SQLite database at ${path}: ${reason}`, { cause: error });
    }
  }

  /** A read outside a transaction: the reader connection, or the caller's own transaction. */
  async read<T>(query: (connection: Connection) => T): Promise<T> {
    const unit = this.currentUnit();
    if (unit) return unit.read(query);
    this.checkOpen();
    const reader = this.reader;
    if (reader) return guarded(() => query(reader));
    return this.lock.run(() => guarded(() => query(this.writer)));
  }

  /** A write outside a transaction: waits its turn, then runs in a transaction of its own. */
  async write<T>(change: (connection: Connection) => T): Promise<T> {
    const unit = this.currentUnit();
    if (unit) return unit.write(change);
    this.checkOpen();
    return this.lock.run(async () => {
      // A failed attempt is rolled back whole, so trying again is safe.
      return this.retryWhileBusy(() => this.writer.atomically(change, "immediate"));
    });
  }

  /**
   * Runs async `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it throws), holding the
   * write lock throughout. Work started inside another unit of work joins it.
   */
  async unitOfWork<T>(work: (access: SqlAccess) => Promise<T>): Promise<T> {
    const outer = this.currentUnit();
    if (outer) return work(outer);
    this.checkOpen();
    return this.lock.run(async () => {
      const driver = this.writer.driver;
      await this.retryWhileBusy(() => this.writer.statement("BEGIN IMMEDIATE").run());
      const unit = new UnitOfWork(this.writer);
      try {
        const result = await this.units.run(unit, () => work(unit));
        unit.end();
        guarded(() => this.writer.statement("COMMIT").run());
        return result;
      } catch (error) {
        unit.end();
        if (driver.inTransaction) guarded(() => this.writer.statement("ROLLBACK").run());
        throw error;
      }
    });
  }

  /** True when a trivial query answers; never throws. */
  ping(): boolean {
    if (this.closing) return false;
    try {
      (this.reader ?? this.writer).statement("SELECT 1").get();
      return true;
    } catch {
      return false;
    }
  }

  /** Lets queued work finish, then closes both connections. */
  close(): Promise<void> {
    this.closing ??= this.lock.run(() => {
      this.reader?.driver.close();
      try {
        this.writer.driver.pragma("optimize");
      } finally {
        this.writer.driver.close();
      }
    });
    return this.closing;
  }

  private currentUnit(): UnitOfWork | null {
    const unit = this.units.getStore();
    return unit?.isActive ? unit : null;
  }

  /** Work queued before `close` still runs; nothing new is accepted after it. */
  private checkOpen(): void {
    if (this.closing) throw new StoreUnavailable("The SQLite store is closed");
  }

  /**
   * Runs `attempt` (which has no effect when it fails), trying again while another connection
   * holds the write lock, without blocking the event loop, until `busyTimeoutMs` has passed.
   */
  private async retryWhileBusy<T>(attempt: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let tries = 0; ; tries++) {
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw translate(error);
      }
      const backoff = Math.min(MAX_BACKOFF_MS, 2 ** tries);
      await sleep(backoff / 2 + Math.random() * backoff);
    }
  }
}
