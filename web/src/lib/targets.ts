/**
 * Daily targets: a target typed as h:mm, today's time per category, and how far along it is
 * ("1:30 of 2:00", "0:30 left", "0:15 over target"). No DOM, no API.
 */
// With its extension: the unit tests compile this file under Node16 resolution as well.
import { formatDuration, secondsByDay } from "./time.js";

/** The API's bounds of a daily target, in seconds (a minute to a day). */
export const MIN_TARGET_SECONDS = 60;
export const MAX_TARGET_SECONDS = 86_400;

/**
 * A typed target as seconds: "h:mm" (minutes 00–59) or whole hours ("2"), e.g. "1:30" → 5400;
 * null for anything else or outside a minute to 24 hours.
 */
export function parseTarget(text: string): number | null {
  const match = /^(\d{1,2})(?::([0-5]\d))?$/.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * 3600 + Number(match[2] ?? 0) * 60;
  return seconds >= MIN_TARGET_SECONDS && seconds <= MAX_TARGET_SECONDS ? seconds : null;
}

export interface Progress {
  /** How much of the ring is filled, 0 to 1. */
  readonly fraction: number;
  /** Whether the time spent is over the target. */
  readonly over: boolean;
  /** "Work: 1:30 of 2:00", the ring's name. */
  readonly label: string;
  /** "0:30 left", "0:15 over target" or "Target reached". */
  readonly status: string;
}

/**
 * How `spent` seconds of `name` today stand against a target of `target` seconds. Time left is
 * rounded up to the minute (a second short is not "0:00 left"); time spent and over, down.
 */
export function targetProgress(name: string, spent: number, target: number): Progress {
  const done = Math.max(0, Math.floor(spent));
  const left = target - done;
  return {
    fraction: target > 0 ? Math.min(1, done / target) : 1,
    over: left < 0,
    label: `${name}: ${formatDuration(done)} of ${formatDuration(target)}`,
    status: left > 0 ? `${formatDuration(Math.ceil(left / 60) * 60)} left` : left < 0 ? `${formatDuration(-left)} over target` : "Target reached",
  };
}

/** Seconds per category id that the entries spend on the local day `day` (YYYY-MM-DD); a running one counts up to `now`. */
export function secondsOnDayByCategory(
  entries: readonly { readonly category_id: number; readonly start_time: string; readonly end_time: string | null }[],
  day: string,
  now: Date,
): Map<number, number> {
  const totals = new Map<number, number>();
  for (const entry of entries) {
    const seconds = secondsByDay(new Date(entry.start_time), entry.end_time ? new Date(entry.end_time) : now).get(day) ?? 0;
    if (seconds > 0) totals.set(entry.category_id, (totals.get(entry.category_id) ?? 0) + seconds);
  }
  return totals;
}
