import { DateTime } from "luxon";
import { ValidationFailed } from "./errors.js";
import { compareNames } from "./names.js";
import { clippedSeconds } from "./time-range.js";
import type { TimeRange } from "./time-range.js";

/**
 * The summary report: the caller's time in [from, to), grouped by category or by the calendar
 * days, ISO weeks or months of an IANA time zone.
 *
 * Calendar boundaries are computed per instant in the zone (luxon resolves each local midnight to
 * the offset in force at that moment), never by applying one offset to the whole range: a day
 * across a daylight-saving change lasts 23 or 25 hours, and an entry crossing a boundary is split
 * between the groups it touches.
 */

export const SUMMARY_GROUPINGS = ["category", "project", "client", "tag", "user", "day", "week", "month"] as const;
export type SummaryGrouping = (typeof SUMMARY_GROUPINGS)[number];
export type CalendarUnit = "day" | "week" | "month";
/** Groupings by something an entry is booked on or by (named groups, null for "none"). */
export type NamedGrouping = Exclude<SummaryGrouping, CalendarUnit>;

export const DEFAULT_GROUPING: SummaryGrouping = "category";
export const DEFAULT_TIME_ZONE = "UTC";
export const MAX_SUMMARY_DAYS = 366;

const MS_PER_DAY = 24 * 60 * 60 * 1000;

export function isCalendarUnit(grouping: SummaryGrouping): grouping is CalendarUnit {
  return grouping === "day" || grouping === "week" || grouping === "month";
}

export interface SummaryGroup {
  /** A name, a day, week or month; null for the entries without a project, client or tag. */
  readonly key: string | null;
  readonly seconds: number;
  /** Entries contributing more than zero seconds to this group. */
  readonly entries: number;
  readonly billableSeconds: number;
  /** The rounded sum of what the group's parts of billable entries with a rate earn. */
  readonly amountCents: number;
}

export interface Summary {
  /** Each entry's time inside the range counted once (also when grouped by tag). */
  readonly totalSeconds: number;
  readonly billableSeconds: number;
  readonly amountCents: number;
  /** Only groups with time in them, sorted by key; the null key last. */
  readonly groups: readonly SummaryGroup[];
}

/** What the report reads of an entry. */
export interface SummaryItem extends TimeRange {
  readonly billable: boolean;
  readonly hourlyRateCents: number | null;
}

/** Which group (or groups: an entry counts in each of its tags') an item belongs to; null for none. */
export type GroupIds<T> = (item: T) => readonly (string | number | null)[];

export interface SummaryOptions {
  readonly from: Date;
  readonly to: Date;
  /** An IANA zone name, as accepted by `parseTimeZone`. */
  readonly tz: string;
  readonly groupBy: SummaryGrouping;
  /** Where a running timer stops counting. */
  readonly now: Date;
}

/** For a named grouping: which groups an item is in, and each group's name. */
export interface NamedGroups<T> {
  readonly idsOf: GroupIds<T>;
  /** The key a group id is shown as (a category's name, say). */
  readonly nameOf: (id: string | number) => string;
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

/** Checks `group_by`: one of SUMMARY_GROUPINGS. */
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

/** The buckets' boundaries in order: each one's start, then the last one's end (none for no buckets). */
export function bucketEdges(buckets: readonly CalendarBucket[]): Date[] {
  const last = buckets.at(-1);
  return last === undefined ? [] : [...buckets.map((bucket) => bucket.start), last.end];
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

/**
 * A group's sums as a store computes them: seconds inside the range, the entries counted, the
 * billable seconds, and `earned`, the billable seconds × hourly rate in cents (cent-seconds,
 * divided by 3600 and rounded only once per group, as the summary does).
 */
export interface GroupSums {
  readonly seconds: number;
  readonly entries: number;
  readonly billableSeconds: number;
  readonly earned: number;
}

/** Seconds, billable seconds and earnings (seconds × rate, divided by 3600 only when rounded). */
class Sums {
  seconds = 0;
  entries = 0;
  billableSeconds = 0;
  earned = 0;

  /** Adds sums computed elsewhere (a store's, per group). */
  merge(sums: GroupSums): void {
    this.seconds += sums.seconds;
    this.entries += sums.entries;
    this.billableSeconds += sums.billableSeconds;
    this.earned += sums.earned;
  }

  add(seconds: number, item: SummaryItem): void {
    this.seconds += seconds;
    this.entries += 1;
    if (item.billable) {
      this.billableSeconds += seconds;
      if (item.hourlyRateCents !== null) this.earned += seconds * item.hourlyRateCents;
    }
  }

  /** round(earned / 3600), half up, in whole cents. */
  get amountCents(): number {
    return Math.floor((this.earned + 1800) / 3600);
  }
}

class Tally {
  private readonly groups = new Map<string | number | null, Sums>();
  private readonly total = new Sums();

  /** Counts the item's seconds in the range once, towards the totals. */
  count(seconds: number, item: SummaryItem): void {
    if (seconds > 0) this.total.add(seconds, item);
  }

  add(id: string | number | null, seconds: number, item: SummaryItem): void {
    if (seconds > 0) this.group(id).add(seconds, item);
  }

  /** Sums computed elsewhere for one group, counted towards the totals too. */
  merge(id: string | number | null, sums: GroupSums): void {
    if (sums.entries === 0) return;
    this.group(id).merge(sums);
    this.total.merge(sums);
  }

  private group(id: string | number | null): Sums {
    let group = this.groups.get(id);
    if (!group) {
      group = new Sums();
      this.groups.set(id, group);
    }
    return group;
  }

  result(keyOf: (id: string | number) => string, compare: (a: string, b: string) => number): Summary {
    const groups = [...this.groups]
      .map(([id, sums]) => ({ id, key: id === null ? null : keyOf(id), sums }))
      .sort((a, b) => compareGroups(a, b, compare))
      .map(({ key, sums }) => ({
        key,
        seconds: sums.seconds,
        entries: sums.entries,
        billableSeconds: sums.billableSeconds,
        amountCents: sums.amountCents,
      }));
    return {
      totalSeconds: this.total.seconds,
      billableSeconds: this.total.billableSeconds,
      amountCents: this.total.amountCents,
      groups,
    };
  }
}

/** By key (null last), then by id: two projects of one name under two clients stay apart, in a stable order. */
function compareGroups(
  a: { readonly id: string | number | null; readonly key: string | null },
  b: { readonly id: string | number | null; readonly key: string | null },
  compare: (a: string, b: string) => number,
): number {
  if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
  return compare(a.key, b.key) || (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sums the items' time inside [from, to) (a running entry counts up to `now`) into groups: the
 * zone's calendar units, or the named groups `named` says (required for a named grouping).
 * Reads the items once, a batch at a time (an await per batch, not per item: the loop over a
 * year's rows is the report's hot path); memory grows with the number of groups and the size
 * of a batch, not with the number of items. Each item's time
 * counts once towards the totals, also when it is in several groups (its tags).
 */
export async function summarize<T extends SummaryItem>(
  batches: Iterable<readonly T[]> | AsyncIterable<readonly T[]>,
  options: SummaryOptions,
  named?: NamedGroups<T>,
): Promise<Summary> {
  const { from, to, now, groupBy } = options;
  const tally = new Tally();

  if (!isCalendarUnit(groupBy)) {
    zoneFor(options.tz);
    if (!named) throw new Error(`grouping by ${groupBy} needs the items' groups`);
    for await (const items of batches) for (const item of items) {
      const seconds = clippedSeconds(item, from, to, now);
      tally.count(seconds, item);
      const ids = named.idsOf(item);
      if (ids.length === 0) tally.add(null, seconds, item);
      for (const id of ids) tally.add(id, seconds, item);
    }
    return tally.result(named.nameOf, compareNames);
  }

  const buckets = groupBoundaries(from, to, options.tz, groupBy);
  for await (const items of batches) for (const item of items) addToBuckets(tally, buckets, item, options);
  return tally.result(String, compareKeys);
}

/** Counts the item's time in the range towards the totals, and its part in each bucket towards that bucket. */
function addToBuckets(tally: Tally, buckets: readonly CalendarBucket[], item: SummaryItem, options: SummaryOptions): void {
  const { from, to, now } = options;
  const start = item.start.getTime();
  const end = item.end === null ? Math.max(now.getTime(), start) : item.end.getTime();
  tally.count(clippedSeconds(item, from, to, now), item);
  for (let i = bucketIndex(buckets, Math.max(start, from.getTime())); i < buckets.length; i++) {
    const bucket = buckets[i] as CalendarBucket;
    if (bucket.start.getTime() >= end) break;
    tally.add(bucket.key, clippedSeconds(item, bucket.start, bucket.end, now), item);
  }
}

/**
 * The summary by a named grouping from sums a store computed per group id (null: none), with
 * each group's name from `nameOf`. Not for tags: an entry in several tags would count in the
 * totals once per tag.
 */
export function summaryOfNamedSums(sums: readonly (GroupSums & { readonly key: number | null })[], nameOf: (id: number) => string): Summary {
  const tally = new Tally();
  for (const group of sums) tally.merge(group.key, group);
  return tally.result((id) => nameOf(Number(id)), compareNames);
}

/**
 * The summary by calendar buckets from sums a store computed per bucket (its index in
 * `buckets`, groupBoundaries' for the same options) of the parts of entries it summed, and the
 * parts it did not (`spanning`: an entry's part past the bucket it starts in, or the whole
 * entry), split here as `summarize` splits entries. Equal to `summarize` of the same entries
 * when every instant is a whole second (what stores keep).
 */
export function summaryOfBucketSums(
  buckets: readonly CalendarBucket[],
  sums: readonly (GroupSums & { readonly key: number | null })[],
  spanning: readonly SummaryItem[],
  options: SummaryOptions,
): Summary {
  const tally = new Tally();
  for (const group of sums) {
    const bucket = group.key === null ? undefined : buckets[group.key];
    if (!bucket) throw new RangeError(`no bucket ${group.key} among ${buckets.length}`);
    tally.merge(bucket.key, group);
  }
  for (const item of spanning) addToBuckets(tally, buckets, item, options);
  return tally.result(String, compareKeys);
}
