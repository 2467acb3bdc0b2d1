import type { TokenScope } from "../../domain/api-token.js";
import type { User, UserId } from "../../domain/user.js";

export type ApiTokenId = number;

export interface ApiToken {
  readonly id: ApiTokenId;
  readonly userId: UserId;
  readonly name: string;
  readonly scope: TokenScope;
  readonly createdAt: Date;
  /** null: never expires. */
  readonly expiresAt: Date | null;
  /** The minute it was last used in, or null. */
  readonly lastUsedAt: Date | null;
}

export interface NewApiToken {
  /** SHA-256 of the secret (hex); the secret itself is shown once and never stored. */
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly name: string;
  readonly scope: TokenScope;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

export interface ApiTokenRepository {
  add(token: NewApiToken): Promise<ApiToken>;
  /** The token with this hash that has not expired at `now` (with its user), or null. */
  findLive(tokenHash: string, now: Date): Promise<{ readonly token: ApiToken; readonly user: User } | null>;
  /** The user's tokens, newest first (expired ones too). */
  listByUser(userId: UserId): Promise<ApiToken[]>;
  /** Removes one of the user's tokens; false when the user has none with this id. */
  remove(userId: UserId, id: ApiTokenId): Promise<boolean>;
  /** Records a use in the minute `minute`; a later record already there is kept. */
  recordUse(id: ApiTokenId, minute: Date): Promise<void>;
}
