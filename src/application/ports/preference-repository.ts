import type { DailyTarget } from "../../domain/preferences.js";
import type { UserId } from "../../domain/user.js";

export interface PreferenceRepository {
  /** The user's targets, by category id. */
  dailyTargets(userId: UserId): Promise<DailyTarget[]>;
  /** Replaces all of the user's targets (in the caller's unit of work, so atomically). */
  replaceDailyTargets(userId: UserId, targets: readonly DailyTarget[]): Promise<void>;
}
