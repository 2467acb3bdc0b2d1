import { RateLimited } from "../domain/errors.js";
import type { AttemptCounter } from "./ports/attempt-counter.js";
import type { Clock } from "./ports/clock.js";
import type { LoginThrottle } from "./ports/login-throttle.js";

/**
 * Buckets are capped in length: usernames are at most 100 characters, so a longer login name is
 * nobody's and sharing a bucket with names of the same first 150 characters costs no one anything.
 */
const bucket = (kind: string, key: string): string => `${kind}:${key.slice(0, 150)}`;

const secondsUntil = (end: Date, now: Date): number => Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));

/**
 * Failed logins per username in a fixed window, counted by the store: every process and instance
 * on one database sees the same count. `maxFailures = 0` turns the throttle off.
 */
export class CountedLoginThrottle implements LoginThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly maxFailures: number,
    private readonly windowSeconds = 15 * 60,
  ) {}

  async retryAfterSeconds(usernameKey: string, now: Date): Promise<number> {
    if (this.maxFailures === 0) return 0;
    const window = await this.counter.peek(bucket("login", usernameKey), now);
    return window && window.hits >= this.maxFailures ? secondsUntil(window.resetsAt, now) : 0;
  }

  async recordFailure(usernameKey: string, now: Date): Promise<void> {
    if (this.maxFailures === 0) return;
    await this.counter.hit(bucket("login", usernameKey), this.windowSeconds, now);
  }

  async reset(usernameKey: string): Promise<void> {
    if (this.maxFailures === 0) return;
    await this.counter.clear(bucket("login", usernameKey));
  }
}

/**
 * Registrations per client address per hour, counted by the store (so across processes). Every
 * attempt counts, as @fastify/rate-limit counted them before; `perHour = 0` turns it off.
 */
export class LimitRegistrations {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly clock: Clock,
    private readonly perHour: number,
  ) {}

  /** Throws RATE_LIMITED (with the seconds until the window ends) past the limit. */
  async execute(clientAddress: string): Promise<void> {
    if (this.perHour === 0) return;
    const now = this.clock.now();
    const window = await this.counter.hit(bucket("register", clientAddress), 3600, now);
    if (window.hits > this.perHour) throw new RateLimited(secondsUntil(window.resetsAt, now));
  }
}

/** Deletes counters whose window has ended (housekeeping; a stale window is ignored anyway). */
export class PurgeExpiredAttempts {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly clock: Clock,
  ) {}

  execute(): Promise<number> {
    return this.counter.removeExpired(this.clock.now());
  }
}
