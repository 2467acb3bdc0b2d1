import type { Role, User, UserId } from "../../domain/user.js";

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
  /** `member` when left out. */
  readonly role?: Role | undefined;
}

/** What UserRepository.update may change; an absent field stays as it is. */
export interface UserFieldChanges {
  readonly role?: Role | undefined;
  readonly active?: boolean | undefined;
  readonly hourlyRateCents?: number | null | undefined;
}

export interface UserPageQuery {
  /** Only users with an id greater than this (keyset position). */
  readonly afterId: UserId | null;
  readonly limit: number;
}

export interface UserRepository {
  /** Adds a user; throws the domain's UsernameTaken when the name exists (case-insensitively). */
  add(user: NewUser): Promise<User>;
  findById(id: UserId): Promise<User | null>;
  /** Case- and accent-insensitive, as names compare everywhere. */
  findByUsername(username: string): Promise<User | null>;
  updatePasswordHash(id: UserId, passwordHash: string): Promise<void>;
  /** Users ordered by id. */
  list(query: UserPageQuery): Promise<User[]>;
  /** Changes the named fields; returns the stored user, or null when it does not exist. */
  update(id: UserId, changes: UserFieldChanges): Promise<User | null>;
  /** Whether the instance has any user at all (the first to register becomes its owner). */
  isEmpty(): Promise<boolean>;
  /** How many users are owners and active. */
  countActiveOwners(): Promise<number>;
  /**
   * Removes the user with their entries and sessions; everything else of theirs goes with them by
   * foreign key. Returns whether the user was there.
   */
  remove(id: UserId): Promise<boolean>;
}
