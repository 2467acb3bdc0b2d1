import type { CategoryId } from "./category.js";
import { ValidationFailed } from "./errors.js";

/** How long a user means to spend on a category each day. */
export interface DailyTarget {
  readonly categoryId: CategoryId;
  readonly seconds: number;
}

export const MIN_TARGET_SECONDS = 60;
export const MAX_TARGET_SECONDS = 24 * 60 * 60;
export const MAX_TARGETS = 200;

/** A list of targets: one per category, each a whole number of seconds from a minute to a day. */
export function parseDailyTargets(raw: readonly DailyTarget[], field = "daily_targets"): DailyTarget[] {
  if (raw.length > MAX_TARGETS) throw new ValidationFailed(field, `must hold at most ${MAX_TARGETS} targets`);
  const seen = new Set<CategoryId>();
  for (const target of raw) {
    if (!Number.isSafeInteger(target.seconds) || target.seconds < MIN_TARGET_SECONDS || target.seconds > MAX_TARGET_SECONDS) {
      throw new ValidationFailed(field, `seconds must be a whole number from ${MIN_TARGET_SECONDS} to ${MAX_TARGET_SECONDS}`);
    }
    if (seen.has(target.categoryId)) throw new ValidationFailed(field, `names category ${target.categoryId} twice`);
    seen.add(target.categoryId);
  }
  return [...raw].sort((a, b) => a.categoryId - b.categoryId);
}
