/** One bucket's count in its current window. */
export interface AttemptWindow {
  readonly hits: number;
  /** When the window ends and the count starts again from zero. */
  readonly resetsAt: Date;
}

/**
 * Fixed-window counters kept where every process of the instance sees them (the database), so
 * limits on failed logins and registrations hold across worker processes and instances.
 * A bucket is a free-form key such as "login:ann" or "register:203.0.113.7".
 */
export interface AttemptCounter {
  /**
   * Counts one attempt, atomically: a bucket whose window has ended (or that has none) starts a
   * new window of `windowSeconds` at `now` with one hit. Returns the window after the hit.
   */
  hit(bucket: string, windowSeconds: number, now: Date): Promise<AttemptWindow>;
  /** The bucket's live window, or null when it has none (or it has ended by `now`). */
  peek(bucket: string, now: Date): Promise<AttemptWindow | null>;
  /** Forgets the bucket (a successful login). */
  clear(bucket: string): Promise<void>;
  /** Deletes windows that ended by `now`; returns how many. */
  removeExpired(now: Date): Promise<number>;
}
