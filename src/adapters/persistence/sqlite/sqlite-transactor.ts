import type { LockScope, Repositories, Transactor } from "../../../application/ports/transactor.js";
import type { SqlAccess, SqliteDatabase } from "./sqlite-database.js";
import { SqliteCategoryRepository } from "./sqlite-category-repository.js";
import { SqliteInvitationRepository } from "./sqlite-invitation-repository.js";
import { SqliteTeamRepository } from "./sqlite-team-repository.js";
import { SqliteClientRepository } from "./sqlite-client-repository.js";
import { SqliteProjectRepository } from "./sqlite-project-repository.js";
import { SqliteSettingsRepository, SqliteTagRepository } from "./sqlite-tag-repository.js";
import { SqlitePreferenceRepository } from "./sqlite-preference-repository.js";
import { SqliteIdentityLinkRepository } from "./sqlite-identity-link-repository.js";
import { SqliteSessionRepository } from "./sqlite-session-repository.js";
import { SqliteTimeEntryRepository } from "./sqlite-time-entry-repository.js";
import { SqliteUserRepository } from "./sqlite-user-repository.js";
import { SqliteApiTokenRepository } from "./sqlite-api-token-repository.js";
import { SqliteTwoFactorRepository } from "./sqlite-two-factor-repository.js";

export function sqliteRepositories(sql: SqlAccess): Repositories {
  return {
    users: new SqliteUserRepository(sql),
    categories: new SqliteCategoryRepository(sql),
    entries: new SqliteTimeEntryRepository(sql),
    sessions: new SqliteSessionRepository(sql),
    invitations: new SqliteInvitationRepository(sql),
    teams: new SqliteTeamRepository(sql),
    clients: new SqliteClientRepository(sql),
    projects: new SqliteProjectRepository(sql),
    tags: new SqliteTagRepository(sql),
    settings: new SqliteSettingsRepository(sql),
    preferences: new SqlitePreferenceRepository(sql),
    identityLinks: new SqliteIdentityLinkRepository(sql),
    apiTokens: new SqliteApiTokenRepository(sql),
    twoFactor: new SqliteTwoFactorRepository(sql),
  };
}

/**
 * `work` runs inside BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws) with repositories bound
 * to that transaction. SQLite has one writer per database, so the lock covers every scope, not
 * only the one named: concurrent work runs one at a time, in this process and across processes.
 */
export class SqliteTransactor implements Transactor {
  constructor(private readonly database: SqliteDatabase) {}

  run<T>(_scope: LockScope, work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.database.unitOfWork((sql) => work(sqliteRepositories(sql)));
  }
}
