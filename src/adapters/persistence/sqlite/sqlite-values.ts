/**
 * Instants are stored as INTEGER seconds since the Unix epoch, UTC. An integer has no time zone
 * and no format to get wrong, compares and sorts as a number (so the (user_id, start_time, id)
 * index serves keyset pages and range filters directly), takes 8 bytes at most, and keeps whole
 * seconds: the precision the domain promises and MySQL's DATETIME holds, so every store returns
 * the same instants.
 */

const MS_PER_SECOND = 1000;

/** What is stored: whole seconds, fractions dropped (as the domain's truncateToSecond does). */
export function toEpochSeconds(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("An invalid date cannot be stored");
  return Math.floor(ms / MS_PER_SECOND);
}

export function fromEpochSeconds(seconds: number): Date {
  return new Date(seconds * MS_PER_SECOND);
}

export function fromNullableEpochSeconds(seconds: number | null): Date | null {
  return seconds === null ? null : fromEpochSeconds(seconds);
}

/**
 * An instant to compare stored seconds with, fractions kept: a REAL compares with the INTEGER
 * column numerically, so `expires_at > ?` means exactly what `expiresAt > now` means in memory.
 */
export function instantParam(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("An invalid date cannot be compared");
  return ms / MS_PER_SECOND;
}
