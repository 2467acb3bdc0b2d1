import mysql, { type Pool } from "mysql2/promise";
import type { Logger } from "pino";
import type { PoolUsage, Store } from "../../../application/ports/store.js";
import type { MySqlConfig } from "../../../config.js";
import { MySqlCategoryRepository } from "./mysql-category-repository.js";
import { connectionOptions, DEFAULT_TUNING, MySqlDatabase, withDeadline, type MySqlTuning } from "./mysql-database.js";
import { MySqlInvitationRepository } from "./mysql-invitation-repository.js";
import { MySqlTeamRepository } from "./mysql-team-repository.js";
import { MySqlClientRepository } from "./mysql-client-repository.js";
import { MySqlProjectRepository } from "./mysql-project-repository.js";
import { MySqlSettingsRepository, MySqlTagRepository } from "./mysql-tag-repository.js";
import { MySqlPreferenceRepository } from "./mysql-preference-repository.js";
import { MySqlIdentityLinkRepository } from "./mysql-identity-link-repository.js";
import { MySqlSessionRepository } from "./mysql-session-repository.js";
import { MySqlChangeFeed, MySqlTimeEntryRepository } from "./mysql-time-entry-repository.js";
import { MySqlWebhookRepository, transactionOn } from "./mysql-webhook-repository.js";
import { MySqlTransactor } from "./mysql-transactor.js";
import { MySqlUserRepository } from "./mysql-user-repository.js";
import { MySqlApiTokenRepository } from "./mysql-api-token-repository.js";
import { MySqlTwoFactorRepository } from "./mysql-two-factor-repository.js";
import { MySqlAttemptCounter } from "./mysql-attempt-counter.js";
import { runMigrations } from "./migrations/migrator.js";

export interface MySqlStoreOptions extends Partial<MySqlTuning> {
  /** How long `ping()` waits for an answer before saying the database is down. */
  readonly pingTimeoutMs?: number;
  /** How long `migrate()` waits for another instance's migrations before giving up. */
  readonly migrationLockWaitMs?: number;
}

const DEFAULT_PING_TIMEOUT_MS = 1_000;
const DEFAULT_MIGRATION_LOCK_WAIT_MS = 10 * 60_000;

/** Where the store keeps its data, for the start-up log: never the password. */
export function describeMySql(config: MySqlConfig): string {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `mysql://${encodeURIComponent(config.user)}@${host}:${config.port}/${encodeURIComponent(config.database)}`;
}

/**
 * The MySQL / MariaDB store: a mysql2 pool for the repositories, one small pool of its own for
 * health checks (so a busy pool never reads as a dead database), and migrations on a dedicated
 * connection. Nothing connects until the first statement.
 */
export class MySqlStore implements Store {
  readonly users: MySqlUserRepository;
  readonly categories: MySqlCategoryRepository;
  readonly entries: MySqlTimeEntryRepository;
  readonly sessions: MySqlSessionRepository;
  readonly invitations: MySqlInvitationRepository;
  readonly teams: MySqlTeamRepository;
  readonly clients: MySqlClientRepository;
  readonly projects: MySqlProjectRepository;
  readonly tags: MySqlTagRepository;
  readonly settings: MySqlSettingsRepository;
  readonly preferences: MySqlPreferenceRepository;
  readonly identityLinks: MySqlIdentityLinkRepository;
  readonly apiTokens: MySqlApiTokenRepository;
  readonly twoFactor: MySqlTwoFactorRepository;
  readonly transactor: MySqlTransactor;
  readonly changeFeed: MySqlChangeFeed;
  readonly webhooks: MySqlWebhookRepository;
  readonly attempts: MySqlAttemptCounter;
  readonly description: string;

  private constructor(
    private readonly config: MySqlConfig,
    private readonly tuning: MySqlTuning,
    private readonly database: MySqlDatabase,
    private readonly probe: Pool,
    private readonly pingTimeoutMs: number,
    private readonly migrationLockWaitMs: number,
    private readonly logger: Logger,
  ) {
    this.users = new MySqlUserRepository(database.runner);
    this.categories = new MySqlCategoryRepository(database.runner, { coalesce: true });
    this.entries = new MySqlTimeEntryRepository(database.runner);
    this.sessions = new MySqlSessionRepository(database.runner, { coalesce: true });
    this.invitations = new MySqlInvitationRepository(database.runner);
    this.teams = new MySqlTeamRepository(database.runner);
    this.clients = new MySqlClientRepository(database.runner);
    this.projects = new MySqlProjectRepository(database.runner);
    this.tags = new MySqlTagRepository(database.runner);
    this.settings = new MySqlSettingsRepository(database.runner);
    this.preferences = new MySqlPreferenceRepository(database.runner);
    this.identityLinks = new MySqlIdentityLinkRepository(database.runner);
    this.apiTokens = new MySqlApiTokenRepository(database.runner);
    this.twoFactor = new MySqlTwoFactorRepository(database.runner);
    this.transactor = new MySqlTransactor(database, logger);
    this.changeFeed = new MySqlChangeFeed(database.runner, transactionOn(database));
    this.webhooks = new MySqlWebhookRepository(database.runner, database);
    this.attempts = new MySqlAttemptCounter(database);
    this.description = describeMySql(config);
  }

  static async open(config: MySqlConfig, logger: Logger, options: MySqlStoreOptions = {}): Promise<MySqlStore> {
    const tuning: MySqlTuning = {
      queueLimit: options.queueLimit ?? DEFAULT_TUNING.queueLimit,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TUNING.connectTimeoutMs,
      acquireTimeoutMs: options.acquireTimeoutMs ?? DEFAULT_TUNING.acquireTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_TUNING.statementTimeoutMs,
    };
    const pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    const probe = mysql.createPool({
      ...connectionOptions(config, { ...tuning, connectTimeoutMs: Math.min(tuning.connectTimeoutMs, pingTimeoutMs) }),
      connectionLimit: 1,
      maxIdle: 1,
      queueLimit: 10,
    });
    const log = logger.child({ component: "mysql" });
    return new MySqlStore(
      config,
      tuning,
      new MySqlDatabase(config, tuning),
      probe,
      pingTimeoutMs,
      options.migrationLockWaitMs ?? DEFAULT_MIGRATION_LOCK_WAIT_MS,
      log,
    );
  }

  async migrate(): Promise<void> {
    await runMigrations(connectionOptions(this.config, this.tuning), this.config.database, this.logger, this.migrationLockWaitMs);
  }

  /** True when the server answers `SELECT 1` within the ping timeout; never throws. */
  async ping(): Promise<boolean> {
    const attempt = this.probeOnce();
    attempt.catch(() => undefined);
    try {
      return await withDeadline(attempt, this.pingTimeoutMs, "ping timed out");
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.database.close(), this.probe.end()]);
  }

  poolUsage(): PoolUsage {
    return this.database.poolUsage();
  }

  private async probeOnce(): Promise<boolean> {
    const connection = await this.probe.getConnection();
    try {
      await connection.query({ sql: "SELECT 1", timeout: this.pingTimeoutMs });
    } catch (error) {
      // A connection that did not answer is not kept: the next ping starts afresh.
      connection.destroy();
      throw error;
    }
    connection.release();
    return true;
  }
}
