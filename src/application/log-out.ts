import type { TokenGenerator } from "./ports/security.js";
import type { SessionRepository } from "./ports/session-repository.js";

export class LogOut {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenGenerator,
  ) {}

  /** Revokes the session of `token`; the token stops working at once. */
  async execute(input: { readonly token: string }): Promise<void> {
    await this.sessions.remove(this.tokens.hashOf(input.token));
  }
}
