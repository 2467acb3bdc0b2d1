import { DateTime } from "luxon";
import { ValidationFailed } from "./errors.js";
import { compareNames } from "./names.js";
import { clippedSeconds } from "./time-range.js";
import type { TimeEntry } from "./time-entry.js";

/**
 * The summary report: the caller's time in [from, to), grouped by category or by the calendar
 * days, ISO weeks or months of an IANA time zone.
 *
 * Calendar boundaries are computed per instant in the zone (luxon resolves each local midnight to
 * the offset in force at that moment), never by applying one offset to the whole range: a day
 * across a daylight-saving change lasts 23 or 25 hours, and an entry crossing a boundary is split
 * between the groups it touches.
 */

export type SummaryGrouping = "category" | "day" | "week" | "month";
export type CalendarUnit = Exclude<SummaryGrouping, "category">;

export const SUMMARY_GROUPINGS: readonly SummaryGrouping[] = ["category", "day", "week", "month"];
export const DEFAULT_GROUPING: SummaryGrouping = "category";
export const DEFAULT_TIME_ZONE = "UTC";
export const MAX_SUMMARY_DAYS = 366;

const MS_PER_DAY = 24 * 60 * 60 * 1000;

export interface SummaryGroup {
  readonly key: string;
  readonly seconds: number;
  /** Entries contributing more than zero seconds to this group. */
  readonly entries: number;
}

export interface Summary {
  readonly totalSeconds: number;
  /** Only groups with time in them, sorted by key. */
  readonly groups: readonly SummaryGroup[];
}

export interface SummaryOptions {
  readonly from: Date;
  readonly to: Date;
  /** An IANA zone name, as accepted by `parseTimeZone`. */
  readonly tz: string;
  readonly groupBy: SummaryGrouping;
  /** Where a running timer stops counting. */
  readonly now: Date;
}

/** One calendar group's share of [from, to): its key and the half-open [start, end) it covers. */
export interface CalendarBucket {
  readonly key: string;
  readonly start: Date;
  readonly end: Date;
}

/** What newer Intl (Node 24 and later) also accepts as a time zone: a fixed UTC offset. */
const FIXED_OFFSET = /^[+\-\u2212]/u;

/**
 * The zone's canonical identifier ("europe/berlin" → "Europe/Berlin"), or null for a name the
 * runtime's time-zone database does not know. Only IANA names are zones here, on every Node:
 * offsets ("+01:00", "-0500") and "local" are refused, although Intl on Node 24 and later takes
 * offsets (a fixed offset has no daylight-saving rules, so its days would be wrong half the year
 * for anyone who means a place; "Etc/GMT-1" is the IANA name for a fixed +01:00).
 */
function canonicalZone(name: string): string | null {
  if (name.length === 0 || name.length > 64 || FIXED_OFFSET.test(name)) return null;
  try {
    const zone = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return FIXED_OFFSET.test(zone) ? null : zone;
  } catch {
    return null;
  }
}

/**
 * Checks an IANA time-zone name ("Europe/Berlin", "UTC") for the input field `field` and
 * returns it as given; throws VALIDATION_FAILED for anything else.
 */
export function parseTimeZone(name: string, field = "tz"): string {
  if (canonicalZone(name) === null) {
    throw new ValidationFailed(field, "must be an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
  }
  return name;
}

/** Checks `group_by`: one of category, day, week, month. */
export function parseGrouping(raw: string, field = "group_by"): SummaryGrouping {
  const found = SUMMARY_GROUPINGS.find((grouping) => grouping === raw);
  if (!found) throw new ValidationFailed(field, `must be one of ${SUMMARY_GROUPINGS.join(", ")}`);
  return found;
}

/** A summary covers a non-empty range of at most 366 days. */
export function checkSummaryRange(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) {
    throw new ValidationFailed("to", "must be after from");
  }
  if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * MS_PER_DAY) {
    throw new ValidationFailed("to", `must be at most ${MAX_SUMMARY_DAYS} days after from`);
  }
}

/**
 * The zone the computation uses. Luxon keeps a formatter per zone name it sees, so it is only
 * ever handed canonical identifiers: a bounded set, whatever spellings requests use.
 */
function zoneFor(tz: string): string {
  const zone = canonicalZone(tz);
  if (zone === null) throw new ValidationFailed("tz", `unknown time zone '${tz}'`);
  return zone;
}

const ONE = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 } } as const;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function keyOf(local: DateTime, unit: CalendarUnit): string {
  switch (unit) {
    case "day":
      return `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
    case "week":
      return `${pad(local.weekYear, 4)}-W${pad(local.weekNumber, 2)}`;
    case "month":
      return `${pad(local.year, 4)}-${pad(local.month, 2)}`;
  }
}

/** The key of the day ("2026-03-29"), ISO week ("2026-W01") or month ("2026-03") holding `instant` in `tz`. */
export function bucketKey(instant: Date, tz: string, unit: CalendarUnit): string {
  return keyOf(DateTime.fromMillis(instant.getTime(), { zone: zoneFor(tz) }), unit);
}

/**
 * The zone's days, ISO weeks (Monday first) or months that [from, to) touches, in order, each
 * clipped to [from, to): consecutive, the first starting at `from`, the last ending at `to`.
 *
 * Each boundary is the next calendar unit's start resolved in the zone at that instant, stepped
 * from the previous boundary: a local midnight that does not exist (clocks jump from 00:00) starts
 * the day at the first instant that does, and one that happens twice starts it at the first.
 */
export function groupBoundaries(from: Date, to: Date, tz: string, unit: CalendarUnit): CalendarBucket[] {
  const zone = zoneFor(tz);
  const end = to.getTime();
  const buckets: CalendarBucket[] = [];
  let start = from.getTime();
  let local = DateTime.fromMillis(start, { zone }).startOf(unit);
  while (start < end) {
    const next = local.plus(ONE[unit]).startOf(unit);
    if (next.toMillis() <= start) {
      // Cannot happen with real zone data; refusing beats looping.
      throw new Error(`time zone ${zone} gave a ${unit} boundary that does not move forward`);
    }
    const bucketEnd = Math.min(next.toMillis(), end);
    buckets.push({ key: keyOf(local, unit), start: new Date(start), end: new Date(bucketEnd) });
    start = bucketEnd;
    local = next;
  }
  return buckets;
}

/** Index of the bucket holding `instant`: the last one starting at or before it. */
function bucketIndex(buckets: readonly CalendarBucket[], instant: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((buckets[mid] as CalendarBucket).start.getTime() <= instant) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

class Tally {
  private readonly groups = new Map<string, { seconds: number; entries: number }>();

  add(key: string, seconds: number): void {
    if (seconds <= 0) return;
    const group = this.groups.get(key);
    if (group) {
      group.seconds += seconds;
      group.entries += 1;
    } else {
      this.groups.set(key, { seconds, entries: 1 });
    }
  }

  result(compare: (a: string, b: string) => number): Summary {
    const groups = [...this.groups]
      .map(([key, { seconds, entries }]) => ({ key, seconds, entries }))
      .sort((a, b) => compare(a.key, b.key));
    return { totalSeconds: groups.reduce((sum, group) => sum + group.seconds, 0), groups };
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sums the entries' time inside [from, to) (a running entry counts up to `now`) into groups.
 * Reads `entries` once; memory grows with the number of groups, not of entries. Total seconds are
 * the sum of the groups' seconds.
 */
export async function summarize(
  entries: Iterable<TimeEntry> | AsyncIterable<TimeEntry>,
  options: SummaryOptions,
): Promise<Summary> {
  const { from, to, now, groupBy } = options;
  const tally = new Tally();

  if (groupBy === "category") {
    zoneFor(options.tz);
    for await (const entry of entries) {
      tally.add(entry.categoryName, clippedSeconds(entry, from, to, now));
    }
    return tally.result(compareNames);
  }

  const buckets = groupBoundaries(from, to, options.tz, groupBy);
  for await (const entry of entries) {
    const start = entry.start.getTime();
    const end = entry.end === null ? Math.max(now.getTime(), start) : entry.end.getTime();
    for (let i = bucketIndex(buckets, Math.max(start, from.getTime())); i < buckets.length; i++) {
      const bucket = buckets[i] as CalendarBucket;
      if (bucket.start.getTime() >= end) break;
      tally.add(bucket.key, clippedSeconds(entry, bucket.start, bucket.end, now));
    }
  }
  return tally.result(compareKeys);
}
