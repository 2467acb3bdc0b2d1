import type { User, UserId } from "../../domain/user.js";

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
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
}
