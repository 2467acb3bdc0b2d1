import type { UserId } from "../../domain/user.js";
import type { CategoryRepository } from "./category-repository.js";
import type { SessionRepository } from "./session-repository.js";
import type { TimeEntryRepository } from "./time-entry-repository.js";
import type { UserRepository } from "./user-repository.js";

/** Repositories bound to one unit of work: every read and write sees the same snapshot. */
export interface Repositories {
  readonly users: UserRepository;
  readonly categories: CategoryRepository;
  readonly entries: TimeEntryRepository;
  readonly sessions: SessionRepository;
}

/**
 * Runs `work` atomically with respect to everything else done for the same user: MySQL locks
 * the user's row in a transaction, SQLite takes BEGIN IMMEDIATE, memory a per-user mutex.
 * Check-then-write rules (no overlap, one running timer) are applied inside it.
 */
export interface Transactor {
  run<T>(userId: UserId, work: (repos: Repositories) => Promise<T>): Promise<T>;
}
