import type { PoolUsage, Store } from "../../../application/ports/store.js";
import { applyMigrations, MIGRATIONS, type Migration } from "./migrations.js";
import { SqliteCategoryRepository } from "./sqlite-category-repository.js";
import { SqliteInvitationRepository } from "./sqlite-invitation-repository.js";
import { SqliteTeamRepository } from "./sqlite-team-repository.js";
import { SqliteClientRepository } from "./sqlite-client-repository.js";
import { SqliteProjectRepository } from "./sqlite-project-repository.js";
import { SqliteSettingsRepository, SqliteTagRepository } from "./sqlite-tag-repository.js";
import { SqlitePreferenceRepository } from "./sqlite-preference-repository.js";
import { SqliteIdentityLinkRepository } from "./sqlite-identity-link-repository.js";
import { IN_MEMORY, SqliteDatabase, type SqliteLogger } from "./sqlite-database.js";
import { SqliteSessionRepository } from "./sqlite-session-repository.js";
import { SqliteChangeFeed, SqliteTimeEntryRepository } from "./sqlite-time-entry-repository.js";
import { SqliteWebhookRepository } from "./sqlite-webhook-repository.js";
import { SqliteTransactor } from "./sqlite-transactor.js";
import { SqliteUserRepository } from "./sqlite-user-repository.js";
import { SqliteApiTokenRepository } from "./sqlite-api-token-repository.js";
import { SqliteTwoFactorRepository } from "./sqlite-two-factor-repository.js";
import { SqliteAttemptCounter } from "./sqlite-attempt-counter.js";

export interface SqliteStoreOptions {
  readonly logger?: SqliteLogger | undefined;
  /** How long a write waits for another process's transaction before giving up (503). */
  readonly busyTimeoutMs?: number | undefined;
  /** The schema steps to apply; tests pass their own. */
  readonly migrations?: readonly Migration[] | undefined;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * The embedded default store: one SQLite file (WAL), durable across restarts, nothing to install.
 * See SqliteDatabase for how async use cases share a synchronous driver safely.
 */
export class SqliteStore implements Store {
  readonly users: SqliteUserRepository;
  readonly categories: SqliteCategoryRepository;
  readonly entries: SqliteTimeEntryRepository;
  readonly sessions: SqliteSessionRepository;
  readonly invitations: SqliteInvitationRepository;
  readonly teams: SqliteTeamRepository;
  readonly clients: SqliteClientRepository;
  readonly projects: SqliteProjectRepository;
  readonly tags: SqliteTagRepository;
  readonly settings: SqliteSettingsRepository;
  readonly preferences: SqlitePreferenceRepository;
  readonly identityLinks: SqliteIdentityLinkRepository;
  readonly apiTokens: SqliteApiTokenRepository;
  readonly twoFactor: SqliteTwoFactorRepository;
  readonly transactor: SqliteTransactor;
  readonly changeFeed: SqliteChangeFeed;
  readonly webhooks: SqliteWebhookRepository;
  readonly attempts: SqliteAttemptCounter;
  readonly description: string;

  private constructor(
    private readonly database: SqliteDatabase,
    private readonly migrations: readonly Migration[],
    private readonly logger: SqliteLogger | undefined,
  ) {
    this.users = new SqliteUserRepository(database);
    this.categories = new SqliteCategoryRepository(database);
    this.entries = new SqliteTimeEntryRepository(database);
    this.sessions = new SqliteSessionRepository(database);
    this.invitations = new SqliteInvitationRepository(database);
    this.teams = new SqliteTeamRepository(database);
    this.clients = new SqliteClientRepository(database);
    this.projects = new SqliteProjectRepository(database);
    this.tags = new SqliteTagRepository(database);
    this.settings = new SqliteSettingsRepository(database);
    this.preferences = new SqlitePreferenceRepository(database);
    this.identityLinks = new SqliteIdentityLinkRepository(database);
    this.apiTokens = new SqliteApiTokenRepository(database);
    this.twoFactor = new SqliteTwoFactorRepository(database);
    this.transactor = new SqliteTransactor(database);
    this.changeFeed = new SqliteChangeFeed(database);
    this.webhooks = new SqliteWebhookRepository(database);
    this.attempts = new SqliteAttemptCounter(database);
    this.description = database.path === IN_MEMORY ? "sqlite in memory (nothing is kept)" : `sqlite file ${database.path}`;
  }

  /**
   * Opens (creating if need be) the database at `path`, relative paths resolved against the
   * working directory, or ":memory:". Call `migrate()` before use.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const database = SqliteDatabase.open(path, {
      busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      logger: options.logger,
    });
    return new SqliteStore(database, options.migrations ?? MIGRATIONS, options.logger);
  }

  /** The absolute path of the file (or ":memory:"). */
  get path(): string {
    return this.database.path;
  }

  async migrate(): Promise<void> {
    const applied = await this.database.write((c) => applyMigrations(c, this.migrations));
    for (const migration of applied) {
      this.logger?.info({ version: migration.version, name: migration.name }, "applied SQLite migration");
    }
  }

  async ping(): Promise<boolean> {
    return this.database.ping();
  }

  close(): Promise<void> {
    return this.database.close();
  }

  /** One connection, always open; it has no queue of its own that could be measured. */
  poolUsage(): PoolUsage {
    return { open: 1, inUse: 0, waiting: 0, limit: 1 };
  }
}
