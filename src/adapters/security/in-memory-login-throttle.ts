import type { LoginThrottle } from "../../application/ports/login-throttle.js";

interface Window {
  readonly startedAt: number;
  failures: number;
}

const MAX_TRACKED = 100_000;

/**
 * A fixed window per username: after `maxFailures` failures within `windowSeconds` of the first
 * one, attempts are refused until the window ends. Counts live in this process; with several
 * instances behind a balancer each keeps its own (so the effective limit is per instance).
 * `maxFailures = 0` turns the throttle off.
 */
export class InMemoryLoginThrottle implements LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowSeconds = 15 * 60,
  ) {}

  async retryAfterSeconds(usernameKey: string, now: Date): Promise<number> {
    if (this.maxFailures === 0) return 0;
    const window = this.current(usernameKey, now.getTime());
    if (!window || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowSeconds * 1000 - now.getTime()) / 1000));
  }

  async recordFailure(usernameKey: string, now: Date): Promise<void> {
    if (this.maxFailures === 0) return;
    const window = this.current(usernameKey, now.getTime());
    if (window) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.prune(now.getTime());
    this.windows.set(usernameKey, { startedAt: now.getTime(), failures: 1 });
  }

  async reset(usernameKey: string): Promise<void> {
    this.windows.delete(usernameKey);
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.startedAt >= this.windowSeconds * 1000) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowSeconds * 1000) this.windows.delete(key);
    }
    // Still full of live windows: drop the oldest rather than grow without bound.
    const excess = this.windows.size - MAX_TRACKED + 1;
    if (excess > 0) [...this.windows.keys()].slice(0, excess).forEach((key) => this.windows.delete(key));
  }
}
