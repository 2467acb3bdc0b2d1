export interface DatabaseProbe {
  /** True when the database answers within a short timeout; never throws. */
  ping(): Promise<boolean>;
}
