import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clippedSeconds, overlaps, type TimeRange } from "../../src/domain/time-range.js";

const MINUTE = 60_000;
const BASE = Date.UTC(2026, 1, 10);

/** A range on a small grid of minutes; null end means open (a running timer). */
const rangeArb = fc
  .record({ start: fc.integer({ min: 0, max: 120 }), length: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) })
  .map(({ start, length }): TimeRange => ({
    start: new Date(BASE + start * MINUTE),
    end: length === null ? null : new Date(BASE + (start + length) * MINUTE),
  }));

/** Oracle: the ranges share a minute of the grid (open ends reach past the grid's horizon). */
function shareAMinute(a: TimeRange, b: TimeRange): boolean {
  const horizon = BASE + 400 * MINUTE;
  const end = (r: TimeRange) => (r.end === null ? horizon : r.end.getTime());
  for (let t = BASE; t < horizon; t += MINUTE) {
    if (t >= a.start.getTime() && t < end(a) && t >= b.start.getTime() && t < end(b)) return true;
  }
  return false;
}

describe("time rules, for any ranges", () => {
  it("overlap exactly when the ranges share an instant (half-open), symmetrically", () => {
    fc.assert(
      fc.property(rangeArb, rangeArb, (a, b) => {
        expect(overlaps(a, b)).toBe(overlaps(b, a));
        expect(overlaps(a, b)).toBe(shareAMinute(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it("a range never overlaps the one that starts where it ends", () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 60 }), (a, length) => {
        fc.pre(a.end !== null);
        const next = { start: a.end as Date, end: new Date((a.end as Date).getTime() + length * MINUTE) };
        expect(overlaps(a, next)).toBe(false);
      }),
    );
  });

  it("clipping to a window never gives more than the range or the window, and splits add up", () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 200 }), (r, from, span, cut) => {
        const now = new Date(BASE + 300 * MINUTE);
        const lo = new Date(BASE + from * MINUTE);
        const hi = new Date(lo.getTime() + span * MINUTE);
        const whole = clippedSeconds(r, lo, hi, now);
        expect(whole).toBeGreaterThanOrEqual(0);
        expect(whole).toBeLessThanOrEqual(span * 60);
        const mid = new Date(Math.min(hi.getTime(), lo.getTime() + cut * MINUTE));
        expect(clippedSeconds(r, lo, mid, now) + clippedSeconds(r, mid, hi, now)).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });
});
