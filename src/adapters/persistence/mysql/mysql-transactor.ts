import type { PoolConnection } from "mysql2/promise";
import type { Logger } from "pino";
import type { LockScope, Repositories, Transactor } from "../../../application/ports/transactor.js";
import { MySqlCategoryRepository } from "./mysql-category-repository.js";
import { MySqlInvitationRepository } from "./mysql-invitation-repository.js";
import { MySqlTeamRepository } from "./mysql-team-repository.js";
import { MySqlClientRepository } from "./mysql-client-repository.js";
import { MySqlProjectRepository } from "./mysql-project-repository.js";
import type { MySqlDatabase, SqlRunner } from "./mysql-database.js";
import { MySqlSettingsRepository, MySqlTagRepository } from "./mysql-tag-repository.js";
import { MySqlPreferenceRepository } from "./mysql-preference-repository.js";
import { MySqlIdentityLinkRepository } from "./mysql-identity-link-repository.js";
import { isDeadlock, spoilsConnection, translateError } from "./mysql-errors.js";
import { MySqlSessionRepository } from "./mysql-session-repository.js";
import { MySqlTimeEntryRepository } from "./mysql-time-entry-repository.js";
import { MySqlUserRepository } from "./mysql-user-repository.js";
import { MySqlApiTokenRepository } from "./mysql-api-token-repository.js";
import { MySqlTwoFactorRepository } from "./mysql-two-factor-repository.js";

/** Repositories that all run on one runner (a pool, or one transaction's connection). */
export function repositoriesOn(runner: SqlRunner): Repositories {
  return {
    users: new MySqlUserRepository(runner),
    categories: new MySqlCategoryRepository(runner),
    entries: new MySqlTimeEntryRepository(runner),
    sessions: new MySqlSessionRepository(runner),
    invitations: new MySqlInvitationRepository(runner),
    teams: new MySqlTeamRepository(runner),
    clients: new MySqlClientRepository(runner),
    projects: new MySqlProjectRepository(runner),
    tags: new MySqlTagRepository(runner),
    settings: new MySqlSettingsRepository(runner),
    preferences: new MySqlPreferenceRepository(runner),
    identityLinks: new MySqlIdentityLinkRepository(runner),
    apiTokens: new MySqlApiTokenRepository(runner),
    twoFactor: new MySqlTwoFactorRepository(runner),
  };
}

/** The first statement of every unit of work: it begins the transaction and serialises the user's writers. */
export const LOCK_USER_SQL = "SELECT id FROM users WHERE id = ? FOR UPDATE";

/** The instance scope's lock: the one row of `instance_lock` (migration 0007). */
export const LOCK_INSTANCE_SQL = "SELECT id FROM instance_lock WHERE id = 1 FOR UPDATE";

/** The statement that takes a scope's lock, as the first of its transaction. */
function lockStatement(scope: LockScope): { sql: string; params: number[] } {
  switch (scope.kind) {
    case "user":
      return { sql: LOCK_USER_SQL, params: [scope.userId] };
    case "instance":
      return { sql: LOCK_INSTANCE_SQL, params: [] };
  }
}

/** A deadlock rolls the whole unit of work back, so running it again is safe; give up after this many. */
const MAX_ATTEMPTS = 3;

/**
 * One transaction per unit of work, serialised per lock scope by locking the scope's row first
 * (for a user's scope, `SELECT … FOR UPDATE` on the user's row): a second unit of work for the
 * same scope, from this process or another, waits for the first to commit, and then sees what it
 * wrote. Work for other scopes runs alongside.
 * The connections come from the transaction pool (autocommit off), so the lock is the first
 * statement of the transaction: no separate START TRANSACTION round trip.
 */
export class MySqlTransactor implements Transactor {
  constructor(
    private readonly database: MySqlDatabase,
    private readonly logger: Logger,
  ) {}

  async run<T>(scope: LockScope, work: (repos: Repositories) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(scope, work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn({ scope, attempt }, "deadlock in a unit of work; running it again");
      }
    }
  }

  private async once<T>(scope: LockScope, work: (repos: Repositories) => Promise<T>): Promise<T> {
    const connection = await this.database.acquireForTransaction();
    const runner = this.database.bound(connection);
    let result: T;
    try {
      const lock = lockStatement(scope);
      await runner.select(lock.sql, lock.params);
      result = await work(repositoriesOn(runner));
      await this.database.command(connection, "COMMIT");
    } catch (error) {
      const failure = translateError(error);
      if (!spoilsConnection(failure) && (await this.rolledBack(connection))) connection.release();
      else connection.destroy(); // the server rolls back what a closed connection left open
      throw failure;
    }
    connection.release();
    return result;
  }

  private async rolledBack(connection: PoolConnection): Promise<boolean> {
    try {
      await this.database.command(connection, "ROLLBACK");
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, "rollback failed; discarding the connection");
      return false;
    }
  }
}
