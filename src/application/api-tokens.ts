import {
  API_TOKEN_PREFIX,
  needsUseRecorded,
  parseTokenName,
  tokenExpiry,
  usedMinute,
  type TokenScope,
} from "../domain/api-token.js";
import { TokenNotFound, Unauthenticated } from "../domain/errors.js";
import type { User } from "../domain/user.js";
import type { ApiToken, ApiTokenId, ApiTokenRepository } from "./ports/api-token-repository.js";
import type { Clock } from "./ports/clock.js";
import type { TokenGenerator } from "./ports/security.js";

export interface CreatedApiToken {
  readonly token: ApiToken;
  /** `tt_` + 256 random bits (base64url); shown once, only its hash is kept. */
  readonly secret: string;
}

/** A user makes an API token for a script or an integration. */
export class CreateApiToken {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly generator: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    readonly actor: User;
    readonly name: string;
    readonly scope: TokenScope;
    readonly expiresInDays?: number | null | undefined;
  }): Promise<CreatedApiToken> {
    const name = parseTokenName(input.name);
    const now = this.clock.now();
    const expiresAt = tokenExpiry(now, input.expiresInDays);
    const secret = API_TOKEN_PREFIX + this.generator.issue().token;
    const token = await this.tokens.add({
      tokenHash: this.generator.hashOf(secret),
      userId: input.actor.id,
      name,
      scope: input.scope,
      createdAt: now,
      expiresAt,
    });
    return { token, secret };
  }
}

/** The caller's own API tokens, newest first (without secrets). */
export class ListApiTokens {
  constructor(private readonly tokens: ApiTokenRepository) {}

  execute(input: { readonly actor: User }): Promise<ApiToken[]> {
    return this.tokens.listByUser(input.actor.id);
  }
}

/** Revokes one of the caller's tokens at once; another user's id is TOKEN_NOT_FOUND. */
export class DeleteApiToken {
  constructor(private readonly tokens: ApiTokenRepository) {}

  async execute(input: { readonly actor: User; readonly id: ApiTokenId }): Promise<void> {
    if (!(await this.tokens.remove(input.actor.id, input.id))) throw new TokenNotFound(input.id);
  }
}

/**
 * The user and scope of a live API token; UNAUTHENTICATED for an unknown, expired or revoked one,
 * or one of a deactivated user. A use is written down at most once a minute per token.
 */
export class AuthenticateApiToken {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly generator: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly secret: string }): Promise<{ readonly user: User; readonly scope: TokenScope }> {
    const now = this.clock.now();
    const found = await this.tokens.findLive(this.generator.hashOf(input.secret), now);
    if (!found || !found.user.active) throw new Unauthenticated("The token is unknown, expired or revoked");
    if (needsUseRecorded(found.token.lastUsedAt, now)) await this.tokens.recordUse(found.token.id, usedMinute(now));
    return { user: found.user, scope: found.token.scope };
  }
}
