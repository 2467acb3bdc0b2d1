import type { Clock } from "../../src/application/ports/clock.js";
import type { PasswordHasher } from "../../src/application/ports/security.js";

/** A clock that says what the test tells it. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(date: Date): void {
    this.current = date;
  }

  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/**
 * A cheap, reversible stand-in for argon2 where a test registers many users. It still refuses a
 * wrong password; tests of hashing itself use the real Argon2PasswordHasher.
 */
export class PlainTextHasher implements PasswordHasher {
  async hash(password: string): Promise<string> {
    return `plain:${password}`;
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    return passwordHash === `plain:${password}`;
  }

  needsRehash(passwordHash: string): boolean {
    return !passwordHash.startsWith("plain:");
  }
}
