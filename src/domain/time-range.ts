/**
 * A half-open interval [start, end). A range with no end is open: a running timer counts as
 * lasting until now and on.
 */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date | null;
}

const OPEN_END = Number.POSITIVE_INFINITY;

function endOf(range: TimeRange): number {
  return range.end === null ? OPEN_END : range.end.getTime();
}

/** True when the two ranges share at least one instant. 09:00-10:00 and 10:00-11:00 do not. */
export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.start.getTime() < endOf(b) && b.start.getTime() < endOf(a);
}

/** Seconds between start and end, or null for an open range. */
export function durationSeconds(range: TimeRange): number | null {
  return range.end === null ? null : Math.round((range.end.getTime() - range.start.getTime()) / 1000);
}

/** The part of `range` inside [from, to), in seconds; an open range counts up to `now`. */
export function clippedSeconds(range: TimeRange, from: Date, to: Date, now: Date): number {
  const end = range.end === null ? Math.max(now.getTime(), range.start.getTime()) : range.end.getTime();
  const lo = Math.max(range.start.getTime(), from.getTime());
  const hi = Math.min(end, to.getTime());
  return hi > lo ? Math.round((hi - lo) / 1000) : 0;
}
