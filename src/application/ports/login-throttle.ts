/** Counts failed logins per username (its name key) and says when to stop accepting attempts. */
export interface LoginThrottle {
  /** Seconds until another attempt for this username is accepted; 0 when it may go ahead. */
  retryAfterSeconds(usernameKey: string, now: Date): Promise<number>;
  recordFailure(usernameKey: string, now: Date): Promise<void>;
  /** A successful login forgets the failures. */
  reset(usernameKey: string): Promise<void>;
}
