import type { Clock } from "./ports/clock.js";
import type { SessionRepository } from "./ports/session-repository.js";

/** Deletes sessions past their expiry. Expired tokens are refused anyway; this keeps the table small. */
export class PurgeExpiredSessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Returns how many sessions were removed. */
  execute(): Promise<number> {
    return this.sessions.removeExpired(this.clock.now());
  }
}
