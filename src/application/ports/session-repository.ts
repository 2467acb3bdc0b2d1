import type { User, UserId } from "../../domain/user.js";

export interface NewSession {
  /** SHA-256 of the bearer token (hex); the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface SessionRepository {
  add(session: NewSession): Promise<void>;
  /** The user whose session has this token hash and expires after `now`, or null. */
  findUser(tokenHash: string, now: Date): Promise<User | null>;
  /** Returns whether a session was removed. */
  remove(tokenHash: string): Promise<boolean>;
  /** Removes sessions that expired at or before `now`; returns how many. */
  removeExpired(now: Date): Promise<number>;
}
