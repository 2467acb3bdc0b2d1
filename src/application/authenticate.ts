import { Unauthenticated } from "../domain/errors.js";
import type { User } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { TokenGenerator } from "./ports/security.js";
import type { SessionRepository } from "./ports/session-repository.js";

export class Authenticate {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  /** The user a live token belongs to; UNAUTHENTICATED for an unknown, expired or revoked one. */
  async execute(input: { readonly token: string }): Promise<User> {
    const user = await this.sessions.findUser(this.tokens.hashOf(input.token), this.clock.now());
    // A deactivated user's sessions stop working at once, without being deleted.
    if (!user || !user.active) throw new Unauthenticated("The token is unknown, expired or revoked");
    return user;
  }
}
