import type { User, UserId } from "../../domain/user.js";

export interface NewSession {
  /** SHA-256 of the bearer token (hex); the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A live session as its user sees it (GET /me/sessions). */
export interface SessionSummary {
  /** Public and random, chosen by the store: never the token or its hash. */
  readonly id: string;
  /** For telling the caller's own session apart; never shown. */
  readonly tokenHash: string;
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
  /** The user's sessions that expire after `now`, newest first. */
  listByUser(userId: UserId, now: Date): Promise<SessionSummary[]>;
  /** Removes the user's session with this public id; false when the user has none such. */
  removeById(userId: UserId, id: string): Promise<boolean>;
  /** Removes every session of the user but the one with `keepTokenHash`; returns how many. */
  removeOthers(userId: UserId, keepTokenHash: string): Promise<number>;
}
