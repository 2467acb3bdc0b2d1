import { createHash } from "node:crypto";
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
 * A cheap stand-in for argon2 where a test registers many users: "plain:" and the password's
 * SHA-256, so it fits the stores' hash column (255 bytes) whatever the password's length, as a
 * real hash does. It still refuses a wrong password; tests of hashing itself use the real
 * Argon2PasswordHasher.
 */
export class PlainTextHasher implements PasswordHasher {
  async hash(password: string): Promise<string> {
    return plainHash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    return passwordHash === plainHash(password);
  }

  needsRehash(passwordHash: string): boolean {
    return !passwordHash.startsWith("plain:");
  }
}

/** What PlainTextHasher stores for `password`. */
export function plainHash(password: string): string {
  return `plain:${createHash("sha256").update(password, "utf8").digest("hex")}`;
}

/** The fields an entry has beyond the seed's: none of them set (no project, not billable, no rate, no tags). */
export const UNBOOKED = {
  projectId: null,
  projectName: null,
  clientName: null,
  tags: [] as readonly string[],
  billable: false,
  hourlyRateCents: null,
} as const;

/** An update's booking fields, left as an entry without a project has them. */
export const NO_BOOKING = { projectId: null, billable: false, hourlyRateCents: null } as const;
