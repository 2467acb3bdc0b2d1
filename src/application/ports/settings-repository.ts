/** What the instance keeps about itself (the rest of its settings come from the environment). */
export interface InstanceSettings {
  /** Members may not write entries starting before this; null: nothing is locked. */
  readonly lockBefore: Date | null;
}

export interface SettingsRepository {
  get(): Promise<InstanceSettings>;
  setLockBefore(lockBefore: Date | null): Promise<InstanceSettings>;
}
