import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { summarize } from "../../src/domain/summary.js";
import { clippedSeconds } from "../../src/domain/time-range.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { UNBOOKED } from "../support/fakes.js";

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 2, 25); // the fortnight from here spans Europe's 2026-03-29 daylight-saving change

const entriesArb = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: 24 * 14 * 4 }),
      quarters: fc.option(fc.integer({ min: 1, max: 96 }), { nil: null, freq: 10 }),
      category: fc.constantFrom("Work", "play", "Ärger"),
    }),
    { maxLength: 40 },
  )
  .map((rows) =>
    rows.map(
      (row, i): TimeEntry => ({
        id: i + 1,
        userId: 1,
        categoryId: 1,
        categoryName: row.category,
        note: null,
        ...UNBOOKED,
        start: new Date(BASE + (row.start * HOUR) / 4),
        end: row.quarters === null ? null : new Date(BASE + ((row.start + row.quarters) * HOUR) / 4),
      }),
    ),
  );

describe("summaries, for any entries", () => {
  it("total the clipped durations, whatever the grouping and zone", async () => {
    await fc.assert(
      fc.asyncProperty(
        entriesArb,
        fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"),
        fc.constantFrom("category" as const, "day" as const, "week" as const, "month" as const),
        fc.integer({ min: 0, max: 24 * 7 }),
        fc.integer({ min: 1, max: 24 * 10 }),
        async (entries, tz, groupBy, fromHours, spanHours) => {
          const from = new Date(BASE + fromHours * HOUR);
          const to = new Date(from.getTime() + spanHours * HOUR);
          const now = new Date(BASE + 24 * 20 * HOUR);
          const expected = entries.reduce((sum, e) => sum + clippedSeconds(e, from, to, now), 0);
          // In two batches, as a store hands them over.
          const half = Math.floor(entries.length / 2);
          const summary = await summarize([entries.slice(0, half), entries.slice(half)], { from, to, tz, groupBy, now }, {
            idsOf: (e) => [e.categoryName],
            nameOf: String,
          });
          expect(summary.totalSeconds).toBe(expected);
          expect(summary.groups.reduce((sum, g) => sum + g.seconds, 0)).toBe(expected);
          expect(summary.groups.every((g) => g.seconds > 0 && g.entries > 0)).toBe(true);
          const keys = summary.groups.map((g) => g.key);
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
