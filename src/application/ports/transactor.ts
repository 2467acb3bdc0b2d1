import type { UserId } from "../../domain/user.js";
import type { CategoryRepository } from "./category-repository.js";
import type { InvitationRepository } from "./invitation-repository.js";
import type { TeamRepository } from "./team-repository.js";
import type { ClientRepository, ProjectRepository } from "./project-repository.js";
import type { TagRepository } from "./tag-repository.js";
import type { SettingsRepository } from "./settings-repository.js";
import type { PreferenceRepository } from "./preference-repository.js";
import type { SessionRepository } from "./session-repository.js";
import type { TimeEntryRepository } from "./time-entry-repository.js";
import type { UserRepository } from "./user-repository.js";
import type { IdentityLinkRepository } from "./identity-link-repository.js";
import type { ApiTokenRepository } from "./api-token-repository.js";
import type { TwoFactorRepository } from "./two-factor.js";

/** Repositories bound to one unit of work: every read and write sees the same snapshot. */
export interface Repositories {
  readonly users: UserRepository;
  readonly categories: CategoryRepository;
  readonly entries: TimeEntryRepository;
  readonly sessions: SessionRepository;
  readonly invitations: InvitationRepository;
  readonly teams: TeamRepository;
  readonly clients: ClientRepository;
  readonly projects: ProjectRepository;
  readonly tags: TagRepository;
  readonly settings: SettingsRepository;
  readonly preferences: PreferenceRepository;
  readonly identityLinks: IdentityLinkRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly twoFactor: TwoFactorRepository;
}

/**
 * What a unit of work locks. Two units of work with the same scope run one after the other, and
 * the second sees what the first wrote; a rule that reads and then writes (no overlap, one
 * running timer) holds because both its reads and its write happen under the scope's lock.
 * A user's scope covers their entries; the instance's covers who its users are and what they
 * may do (registration, invitations, roles), so rules such as "the first user is the owner",
 * "one registration per invitation" and "at least one active owner" hold under concurrency.
 */
export type LockScope = { readonly kind: "user"; readonly userId: UserId } | { readonly kind: "instance" };

/** The scope of the instance's users, roles and invitations. */
export function instanceScope(): LockScope {
  return { kind: "instance" };
}

/** The scope of everything a user's own entries must agree with. */
export function userScope(userId: UserId): LockScope {
  return { kind: "user", userId };
}

/**
 * Runs `work` atomically, holding the lock of `scope` until it commits: MySQL locks the scope's
 * row first in a transaction, SQLite takes BEGIN IMMEDIATE (its one writer covers every scope).
 * `work` gets repositories bound to that transaction; when it throws, its writes are rolled back.
 */
export interface Transactor {
  run<T>(scope: LockScope, work: (repos: Repositories) => Promise<T>): Promise<T>;
}
