import { describe, expect, it } from "vitest";
import { ValidationFailed } from "../../src/domain/errors.js";
import {
  bucketEdges,
  bucketKey,
  checkSummaryRange,
  groupBoundaries,
  parseGrouping,
  parseTimeZone,
  summarize,
  summaryOfBucketSums,
  summaryOfNamedSums,
  type Summary,
  type SummaryGrouping,
} from "../../src/domain/summary.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { UNBOOKED } from "../support/fakes.js";

/** An instant from RFC 3339 text with an explicit offset or Z, so local times are visible. */
const t = (text: string): Date => new Date(text);

let nextId = 1;
const entry = (start: string, end: string | null, categoryName = "Work"): TimeEntry => ({
  id: nextId++,
  userId: 1,
  categoryId: 1,
  categoryName,
  note: null,
  ...UNBOOKED,
  start: t(start),
  end: end === null ? null : t(end),
});

/** Back-to-back entries of `seconds` each, from `start` for `count` entries. */
function coverage(start: string, seconds: number, count: number): TimeEntry[] {
  const first = t(start).getTime();
  return Array.from({ length: count }, (_, i) => ({
    ...entry(start, start),
    start: new Date(first + i * seconds * 1000),
    end: new Date(first + (i + 1) * seconds * 1000),
  }));
}

const NOW = t("2026-06-01T00:00:00Z");

/** Entries grouped by their category's name, as the report groups them by category. */
const BY_CATEGORY_NAME = { idsOf: (e: TimeEntry) => [e.categoryName], nameOf: String };

function run(
  entries: TimeEntry[],
  options: { from: string; to: string; tz?: string; groupBy: SummaryGrouping; now?: string },
): Promise<Summary> {
  return summarize([entries], {
    from: t(options.from),
    to: t(options.to),
    tz: options.tz ?? "UTC",
    groupBy: options.groupBy,
    now: options.now === undefined ? NOW : t(options.now),
  }, BY_CATEGORY_NAME);
}

/** key → seconds, for compact expectations. */
const secondsByKey = (summary: Summary): Record<string, number> =>
  Object.fromEntries(summary.groups.map((group) => [group.key, group.seconds]));
const entriesByKey = (summary: Summary): Record<string, number> =>
  Object.fromEntries(summary.groups.map((group) => [group.key, group.entries]));

describe("summary: grouping by category", () => {
  it("sums each category, sorts names case-insensitively, and totals the groups", async () => {
    const summary = await run(
      [
        entry("2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z", "work"),
        entry("2026-02-10T10:00:00Z", "2026-02-10T10:30:00Z", "Meetings"),
        entry("2026-02-10T11:00:00Z", "2026-02-10T11:15:00Z", "admin"),
        entry("2026-02-11T09:00:00Z", "2026-02-11T11:00:00Z", "work"),
      ],
      { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", groupBy: "category" },
    );
    expect(summary.groups).toMatchObject([
      { key: "admin", seconds: 900, entries: 1 },
      { key: "Meetings", seconds: 1800, entries: 1 },
      { key: "work", seconds: 10800, entries: 2 },
    ]);
    expect(summary.totalSeconds).toBe(13500);
    expect(summary.totalSeconds).toBe(summary.groups.reduce((sum, group) => sum + group.seconds, 0));
  });

  it("counts one entry once even when it spans several days", async () => {
    const summary = await run([entry("2026-02-10T20:00:00Z", "2026-02-11T04:00:00Z")], {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      groupBy: "category",
    });
    expect(summary.groups).toMatchObject([{ key: "Work", seconds: 28800, entries: 1 }]);
  });

  it("is empty for no entries", async () => {
    const summary = await run([], { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", groupBy: "category" });
    expect(summary).toMatchObject({ totalSeconds: 0, groups: [] });
  });
});

describe("summary: grouping by day", () => {
  it("splits at UTC midnight by default", async () => {
    const summary = await run(
      [
        entry("2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z"),
        entry("2026-02-10T23:30:00Z", "2026-02-11T00:30:00Z"),
      ],
      { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", groupBy: "day" },
    );
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 5400, entries: 2 },
      { key: "2026-02-11", seconds: 1800, entries: 1 },
    ]);
    expect(summary.totalSeconds).toBe(7200);
  });

  it("uses the days of the zone: the same entries fall differently in Europe/Berlin", async () => {
    const entries = [
      entry("2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z"),
      // 00:30-01:30 in Berlin (+01:00): all of it on the 11th there.
      entry("2026-02-10T23:30:00Z", "2026-02-11T00:30:00Z"),
    ];
    const summary = await run(entries, {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      tz: "Europe/Berlin",
      groupBy: "day",
    });
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 3600, entries: 1 },
      { key: "2026-02-11", seconds: 3600, entries: 1 },
    ]);
  });

  it("splits an entry from 23:30 to 00:30 local time 1800/1800, counting it in both days", async () => {
    const summary = await run([entry("2026-02-10T23:30:00+01:00", "2026-02-11T00:30:00+01:00")], {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      tz: "Europe/Berlin",
      groupBy: "day",
    });
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 1800, entries: 1 },
      { key: "2026-02-11", seconds: 1800, entries: 1 },
    ]);
    expect(summary.totalSeconds).toBe(3600);
  });

  it("leaves out days with nothing in them, and does not count an entry ending exactly at midnight in the next day", async () => {
    const summary = await run(
      [
        entry("2026-02-09T22:00:00Z", "2026-02-10T00:00:00Z"),
        entry("2026-02-11T08:00:00Z", "2026-02-11T09:00:00Z"),
      ],
      { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", groupBy: "day" },
    );
    expect(summary.groups).toMatchObject([
      { key: "2026-02-09", seconds: 7200, entries: 1 },
      { key: "2026-02-11", seconds: 3600, entries: 1 },
    ]);
  });

  it("sorts groups by key whatever order the entries come in", async () => {
    const summary = await run(
      [
        entry("2026-02-12T08:00:00Z", "2026-02-12T09:00:00Z"),
        entry("2026-02-10T08:00:00Z", "2026-02-10T08:10:00Z"),
        entry("2026-02-11T08:00:00Z", "2026-02-11T08:20:00Z"),
      ],
      { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", groupBy: "day" },
    );
    expect(summary.groups.map((group) => group.key)).toMatchObject(["2026-02-10", "2026-02-11", "2026-02-12"]);
  });
});

describe("summary: the range and running timers", () => {
  it("counts only the part of an entry inside [from, to)", async () => {
    const entries = [
      entry("2026-02-09T23:00:00Z", "2026-02-10T01:00:00Z"), // 1h before from, 1h inside
      entry("2026-02-10T12:00:00Z", "2026-02-10T13:00:00Z"), // inside
      entry("2026-02-11T23:30:00Z", "2026-02-12T00:30:00Z"), // 30 min inside, 30 min at/after to
      entry("2026-02-12T00:00:00Z", "2026-02-12T01:00:00Z"), // starts at to: nothing
      entry("2026-02-09T10:00:00Z", "2026-02-10T00:00:00Z"), // ends at from: nothing
    ];
    const range = { from: "2026-02-10T00:00:00Z", to: "2026-02-12T00:00:00Z" };
    const byDay = await run(entries, { ...range, groupBy: "day" });
    expect(byDay.groups).toMatchObject([
      { key: "2026-02-10", seconds: 7200, entries: 2 },
      { key: "2026-02-11", seconds: 1800, entries: 1 },
    ]);
    const byCategory = await run(entries, { ...range, groupBy: "category" });
    expect(byCategory.groups).toMatchObject([{ key: "Work", seconds: 9000, entries: 3 }]);
  });

  it("clips to a range that starts and ends mid-day in the zone", async () => {
    const summary = await run([entry("2026-02-10T08:00:00+01:00", "2026-02-10T18:00:00+01:00")], {
      from: "2026-02-10T09:00:00+01:00",
      to: "2026-02-10T12:30:00+01:00",
      tz: "Europe/Berlin",
      groupBy: "day",
    });
    expect(summary.groups).toMatchObject([{ key: "2026-02-10", seconds: 12600, entries: 1 }]);
  });

  it("counts a running timer up to now, split across days", async () => {
    const summary = await run([entry("2026-02-10T22:00:00Z", null)], {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      groupBy: "day",
      now: "2026-02-11T01:30:00Z",
    });
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 7200, entries: 1 },
      { key: "2026-02-11", seconds: 5400, entries: 1 },
    ]);
  });

  it("counts a running timer only up to to, and not at all when now is before from", async () => {
    const timer = entry("2026-02-10T22:00:00Z", null);
    const capped = await run([timer], {
      from: "2026-02-10T00:00:00Z",
      to: "2026-02-11T00:00:00Z",
      groupBy: "category",
      now: "2026-02-11T05:00:00Z",
    });
    expect(capped.groups).toMatchObject([{ key: "Work", seconds: 7200, entries: 1 }]);
    const early = await run([timer], {
      from: "2026-02-11T00:00:00Z",
      to: "2026-02-12T00:00:00Z",
      groupBy: "day",
      now: "2026-02-10T23:00:00Z",
    });
    expect(early).toMatchObject({ totalSeconds: 0, groups: [] });
  });

  it("reads an async stream of batches once", async () => {
    let reads = 0;
    async function* stream(): AsyncGenerator<TimeEntry[]> {
      reads++;
      yield [entry("2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z")];
      yield [];
      yield [entry("2026-02-11T09:00:00Z", "2026-02-11T09:30:00Z"), entry("2026-02-17T09:00:00Z", "2026-02-17T09:15:00Z")];
    }
    const summary = await summarize(stream(), {
      from: t("2026-02-01T00:00:00Z"),
      to: t("2026-03-01T00:00:00Z"),
      tz: "UTC",
      groupBy: "week",
      now: NOW,
    });
    expect(reads).toBe(1);
    expect(summary.groups).toMatchObject([
      { key: "2026-W07", seconds: 5400, entries: 2 },
      { key: "2026-W08", seconds: 900, entries: 1 },
    ]);
  });
});

describe("summary: ISO weeks and months", () => {
  it("names weeks by ISO week-year: 2025-12-29 is in 2026-W01, 2027-01-01 in 2026-W53", () => {
    expect(bucketKey(t("2025-12-28T12:00:00Z"), "UTC", "week")).toBe("2025-W52");
    expect(bucketKey(t("2025-12-29T00:00:00Z"), "UTC", "week")).toBe("2026-W01");
    expect(bucketKey(t("2026-01-04T23:59:59Z"), "UTC", "week")).toBe("2026-W01");
    expect(bucketKey(t("2027-01-01T12:00:00Z"), "UTC", "week")).toBe("2026-W53");
    // Monday 00:30 in Berlin is still Sunday in UTC.
    expect(bucketKey(t("2025-12-28T23:30:00Z"), "Europe/Berlin", "week")).toBe("2026-W01");
    expect(bucketKey(t("2025-12-28T23:30:00Z"), "UTC", "week")).toBe("2025-W52");
  });

  it("splits an entry at the zone's Sunday→Monday boundary", async () => {
    const summary = await run(
      [
        entry("2025-12-28T23:00:00+01:00", "2025-12-29T01:00:00+01:00"),
        entry("2025-12-30T09:00:00+01:00", "2025-12-30T10:00:00+01:00"),
      ],
      { from: "2025-12-01T00:00:00Z", to: "2026-01-31T00:00:00Z", tz: "Europe/Berlin", groupBy: "week" },
    );
    expect(summary.groups).toMatchObject([
      { key: "2025-W52", seconds: 3600, entries: 1 },
      { key: "2026-W01", seconds: 7200, entries: 2 },
    ]);
  });

  it("groups by month in the zone, splitting at local midnight of the 1st", async () => {
    const summary = await run(
      [
        entry("2026-01-31T23:00:00+01:00", "2026-02-01T01:00:00+01:00"),
        entry("2026-02-15T09:00:00+01:00", "2026-02-15T10:00:00+01:00"),
        // April 1st 00:30 in Berlin (+02:00) is still March in UTC.
        entry("2026-04-01T00:00:00+02:00", "2026-04-01T01:00:00+02:00"),
      ],
      { from: "2026-01-01T00:00:00Z", to: "2026-05-01T00:00:00Z", tz: "Europe/Berlin", groupBy: "month" },
    );
    expect(summary.groups).toMatchObject([
      { key: "2026-01", seconds: 3600, entries: 1 },
      { key: "2026-02", seconds: 7200, entries: 2 },
      { key: "2026-04", seconds: 3600, entries: 1 },
    ]);
    expect(bucketKey(t("2026-03-31T22:30:00Z"), "UTC", "month")).toBe("2026-03");
    expect(bucketKey(t("2026-03-31T22:30:00Z"), "Europe/Berlin", "month")).toBe("2026-04");
  });

  it("gives consecutive boundaries clipped to [from, to)", () => {
    const buckets = groupBoundaries(t("2025-12-20T00:00:00Z"), t("2026-01-10T00:00:00Z"), "Europe/Berlin", "week");
    expect(buckets.map((b) => [b.key, b.start.toISOString(), b.end.toISOString()])).toMatchObject([
      ["2025-W51", "2025-12-20T00:00:00.000Z", "2025-12-21T23:00:00.000Z"],
      ["2025-W52", "2025-12-21T23:00:00.000Z", "2025-12-28T23:00:00.000Z"],
      ["2026-W01", "2025-12-28T23:00:00.000Z", "2026-01-04T23:00:00.000Z"],
      ["2026-W02", "2026-01-04T23:00:00.000Z", "2026-01-10T00:00:00.000Z"],
    ]);
  });
});

describe("summary: daylight-saving changes", () => {
  it("Europe/Berlin: 2026-03-29 has 23 hours; continuous coverage sums to 82800", async () => {
    // Hourly entries from 2026-03-28 00:00 local (+01:00) to 2026-03-31 00:00 local (+02:00): 71 hours.
    const summary = await run(coverage("2026-03-28T00:00:00+01:00", 3600, 71), {
      from: "2026-03-20T00:00:00Z",
      to: "2026-04-10T00:00:00Z",
      tz: "Europe/Berlin",
      groupBy: "day",
    });
    expect(secondsByKey(summary)).toEqual({ "2026-03-28": 86400, "2026-03-29": 82800, "2026-03-30": 86400 });
    expect(entriesByKey(summary)).toEqual({ "2026-03-28": 24, "2026-03-29": 23, "2026-03-30": 24 });
    expect(summary.totalSeconds).toBe(71 * 3600);
  });

  it("Europe/Berlin: 2026-10-25 has 25 hours; continuous coverage sums to 90000", async () => {
    // Entries of 7 hours, so most of them cross a midnight: the split still sums exactly.
    const summary = await run(coverage("2026-10-24T00:00:00+02:00", 7 * 3600, 11), {
      from: "2026-10-24T00:00:00+02:00",
      to: "2026-10-27T00:00:00+01:00",
      tz: "Europe/Berlin",
      groupBy: "day",
    });
    expect(secondsByKey(summary)).toEqual({ "2026-10-24": 86400, "2026-10-25": 90000, "2026-10-26": 86400 });
    expect(summary.totalSeconds).toBe(86400 + 90000 + 86400);
  });

  it("Europe/Berlin: an entry across the change lands in the right days", async () => {
    const summary = await run(
      [
        // 23:00 (+01:00) on the 28th to 04:00 (+02:00) on the 29th: 4 real hours.
        entry("2026-03-28T23:00:00+01:00", "2026-03-29T04:00:00+02:00"),
        // 22:00 (+02:00) on the 24th to 04:00 (+01:00) on the 25th: 7 real hours.
        entry("2026-10-24T22:00:00+02:00", "2026-10-25T04:00:00+01:00"),
      ],
      { from: "2026-03-01T00:00:00Z", to: "2026-11-01T00:00:00Z", tz: "Europe/Berlin", groupBy: "day" },
    );
    expect(summary.groups).toMatchObject([
      { key: "2026-03-28", seconds: 3600, entries: 1 },
      { key: "2026-03-29", seconds: 10800, entries: 1 },
      { key: "2026-10-24", seconds: 7200, entries: 1 },
      { key: "2026-10-25", seconds: 18000, entries: 1 },
    ]);
  });

  it("Europe/Berlin: a winter day's boundary is at 23:00 UTC even in summer, and a summer day's at 22:00 UTC", async () => {
    const summary = await run(
      [
        entry("2026-01-14T22:30:00Z", "2026-01-14T23:30:00Z"), // 23:30-00:30 (+01:00)
        entry("2026-07-14T21:30:00Z", "2026-07-14T22:30:00Z"), // 23:30-00:30 (+02:00)
      ],
      {
        from: "2026-01-01T00:00:00Z",
        to: "2026-12-31T00:00:00Z",
        tz: "Europe/Berlin",
        groupBy: "day",
        now: "2026-07-20T00:00:00Z",
      },
    );
    expect(secondsByKey(summary)).toEqual({
      "2026-01-14": 1800,
      "2026-01-15": 1800,
      "2026-07-14": 1800,
      "2026-07-15": 1800,
    });
  });

  it("America/New_York: 2026-03-08 has 23 hours and 2026-11-01 has 25", async () => {
    const spring = await run(coverage("2026-03-07T00:00:00-05:00", 3600, 24 + 23 + 24), {
      from: "2026-03-01T00:00:00Z",
      to: "2026-03-20T00:00:00Z",
      tz: "America/New_York",
      groupBy: "day",
    });
    expect(secondsByKey(spring)).toEqual({ "2026-03-07": 86400, "2026-03-08": 82800, "2026-03-09": 86400 });

    const autumn = await run(coverage("2026-10-31T00:00:00-04:00", 1800, 2 * (24 + 25 + 24)), {
      from: "2026-10-20T00:00:00Z",
      to: "2026-11-10T00:00:00Z",
      tz: "America/New_York",
      groupBy: "day",
    });
    expect(secondsByKey(autumn)).toEqual({ "2026-10-31": 86400, "2026-11-01": 90000, "2026-11-02": 86400 });
    expect(entriesByKey(autumn)).toEqual({ "2026-10-31": 48, "2026-11-01": 50, "2026-11-02": 48 });
  });

  it("America/New_York: an entry across the change lands in the right days", async () => {
    const summary = await run(
      [
        // 22:00 EST on the 7th to 04:00 EDT on the 8th: 5 real hours, 2 of them on the 7th.
        entry("2026-03-07T22:00:00-05:00", "2026-03-08T04:00:00-04:00"),
        // 23:00 EDT on Oct 31 to 01:30 EST on Nov 1: 3.5 real hours, 1 on Oct 31.
        entry("2026-10-31T23:00:00-04:00", "2026-11-01T01:30:00-05:00"),
      ],
      { from: "2026-03-01T00:00:00Z", to: "2026-11-10T00:00:00Z", tz: "America/New_York", groupBy: "day" },
    );
    expect(secondsByKey(summary)).toEqual({
      "2026-03-07": 7200,
      "2026-03-08": 10800,
      "2026-10-31": 3600,
      "2026-11-01": 9000,
    });
  });

  it("a midnight that does not exist starts the day at 01:00 (America/Sao_Paulo, 2018-11-04), and a 25-hour day before one that repeats", async () => {
    const spring = await run(coverage("2018-11-03T00:00:00-03:00", 3600, 24 + 23 + 24), {
      from: "2018-11-01T00:00:00Z",
      to: "2018-11-10T00:00:00Z",
      tz: "America/Sao_Paulo",
      groupBy: "day",
    });
    expect(secondsByKey(spring)).toEqual({ "2018-11-03": 86400, "2018-11-04": 82800, "2018-11-05": 86400 });
    expect(bucketKey(t("2018-11-04T03:00:00Z"), "America/Sao_Paulo", "day")).toBe("2018-11-04");

    const autumn = await run(coverage("2019-02-15T00:00:00-02:00", 3600, 24 + 25 + 24), {
      from: "2019-02-10T00:00:00Z",
      to: "2019-02-20T00:00:00Z",
      tz: "America/Sao_Paulo",
      groupBy: "day",
    });
    expect(secondsByKey(autumn)).toEqual({ "2019-02-15": 86400, "2019-02-16": 90000, "2019-02-17": 86400 });
  });

  it("a month with the spring change has 743 hours, a week with the autumn change 169", async () => {
    const march = await run(coverage("2026-03-01T00:00:00+01:00", 3600, 31 * 24 - 1), {
      from: "2026-02-01T00:00:00Z",
      to: "2026-05-01T00:00:00Z",
      tz: "Europe/Berlin",
      groupBy: "month",
    });
    expect(secondsByKey(march)).toEqual({ "2026-03": 743 * 3600 });

    const week = await run(coverage("2026-10-19T00:00:00+02:00", 3600, 7 * 24 + 1), {
      from: "2026-10-01T00:00:00Z",
      to: "2026-11-30T00:00:00Z",
      tz: "Europe/Berlin",
      groupBy: "week",
    });
    expect(secondsByKey(week)).toEqual({ "2026-W43": 169 * 3600 });
  });
});

describe("summary: zones with odd offsets", () => {
  it("Asia/Kolkata (+05:30): midnight is 18:30 UTC", async () => {
    const summary = await run([entry("2026-02-10T18:00:00Z", "2026-02-10T19:00:00Z")], {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      tz: "Asia/Kolkata",
      groupBy: "day",
    });
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 1800, entries: 1 },
      { key: "2026-02-11", seconds: 1800, entries: 1 },
    ]);
  });

  it("Asia/Kathmandu (+05:45): midnight is 18:15 UTC", async () => {
    const summary = await run([entry("2026-02-10T18:00:00Z", "2026-02-10T19:00:00Z")], {
      from: "2026-02-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      tz: "Asia/Kathmandu",
      groupBy: "day",
    });
    expect(summary.groups).toMatchObject([
      { key: "2026-02-10", seconds: 900, entries: 1 },
      { key: "2026-02-11", seconds: 2700, entries: 1 },
    ]);
  });
});

describe("summary: from sums a store computed", () => {
  // Berlin's short day: 2026-03-29 has 23 hours.
  const options = {
    from: t("2026-03-28T00:00:00+01:00"),
    to: t("2026-03-31T00:00:00+02:00"),
    tz: "Europe/Berlin",
    groupBy: "day" as const,
    now: t("2026-03-30T21:00:00Z"),
  };
  const buckets = groupBoundaries(options.from, options.to, options.tz, "day");
  // Four hours across the first midnight; billable 90 minutes at 60.00 an hour; a running timer.
  const crossing = entry("2026-03-28T21:00:00Z", "2026-03-29T01:00:00Z");
  const billable = { ...entry("2026-03-29T10:00:00Z", "2026-03-29T11:30:00Z"), billable: true, hourlyRateCents: 6000 };
  const running = entry("2026-03-30T20:00:00Z", null);

  it("gives the boundaries a store sums between: each bucket's start, then the last one's end", () => {
    expect(bucketEdges(buckets).map((edge) => edge.toISOString())).toEqual([
      "2026-03-27T23:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
      "2026-03-30T22:00:00.000Z",
    ]);
    expect(bucketEdges([])).toEqual([]);
  });

  it("by bucket: adds each entry's sums in the bucket it starts in and splits what goes on past it", async () => {
    const sums = [
      { key: 0, seconds: 7200, entries: 1, billableSeconds: 0, earned: 0 },
      { key: 1, seconds: 5400, entries: 1, billableSeconds: 5400, earned: 5400 * 6000 },
      { key: 2, seconds: 3600, entries: 1, billableSeconds: 0, earned: 0 },
    ];
    const spanning = [{ start: t("2026-03-28T23:00:00Z"), end: t("2026-03-29T01:00:00Z"), billable: false, hourlyRateCents: null }];
    const summary = summaryOfBucketSums(buckets, sums, spanning, options);
    expect(summary).toEqual(await summarize([[crossing, billable, running]], options, BY_CATEGORY_NAME));
    expect(summary).toMatchObject({
      totalSeconds: 4 * 3600 + 5400 + 3600,
      billableSeconds: 5400,
      amountCents: 9000,
      groups: [
        { key: "2026-03-28", seconds: 7200, entries: 1 },
        { key: "2026-03-29", seconds: 7200 + 5400, entries: 2, amountCents: 9000 },
        { key: "2026-03-30", seconds: 3600, entries: 1 },
      ],
    });
  });

  it("by bucket: refuses a bucket index it does not have", () => {
    const sums = [{ key: 3, seconds: 1, entries: 1, billableSeconds: 0, earned: 0 }];
    expect(() => summaryOfBucketSums(buckets, sums, [], options)).toThrow(RangeError);
  });

  it("by name: orders the groups by name, none last, and rounds each amount once", () => {
    const names = new Map([[1, "Beta"], [2, "Alpha"]]);
    const summary = summaryOfNamedSums(
      [
        { key: null, seconds: 60, entries: 1, billableSeconds: 0, earned: 0 },
        // 1,799 and 1,801 cent-seconds: half a cent each side of rounding; together one cent.
        { key: 1, seconds: 30, entries: 1, billableSeconds: 30, earned: 1799 },
        { key: 2, seconds: 30, entries: 2, billableSeconds: 30, earned: 1801 },
        { key: 3, seconds: 0, entries: 0, billableSeconds: 0, earned: 0 },
      ],
      (id) => names.get(id) ?? "?",
    );
    expect(summary).toEqual({
      totalSeconds: 120,
      billableSeconds: 60,
      amountCents: 1,
      groups: [
        { key: "Alpha", seconds: 30, entries: 2, billableSeconds: 30, amountCents: 1 },
        { key: "Beta", seconds: 30, entries: 1, billableSeconds: 30, amountCents: 0 },
        { key: null, seconds: 60, entries: 1, billableSeconds: 0, amountCents: 0 },
      ],
    });
  });
});

describe("summary: parameters", () => {
  it("accepts IANA zone names as given and refuses anything else on /tz", () => {
    for (const name of ["UTC", "Etc/GMT-1", "Europe/Berlin", "europe/berlin", "Asia/Kolkata", "America/Argentina/Buenos_Aires"]) {
      expect(parseTimeZone(name)).toBe(name);
    }
    for (const name of ["", "Mars/Olympus_Mons", "+01:00", "-05:00", "+0100", "+01", "−01:00", "Z", "local", "Europe/Berlin ", "x".repeat(200)]) {
      expect(() => parseTimeZone(name)).toThrow(ValidationFailed);
    }
    try {
      parseTimeZone("Nowhere/Special");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", fieldProblems: [{ field: "tz" }] });
    }
  });

  it("accepts the four groupings exactly and refuses others on /group_by", () => {
    for (const grouping of ["category", "day", "week", "month"]) expect(parseGrouping(grouping)).toBe(grouping);
    for (const grouping of ["", "Day", "year", "days"]) {
      expect(() => parseGrouping(grouping)).toThrow(ValidationFailed);
    }
    expect(() => parseGrouping("year")).toThrow(expect.objectContaining({ fieldProblems: [expect.objectContaining({ field: "group_by" })] }));
  });

  it("wants from before to and at most 366 days between them, on /to", () => {
    const from = t("2026-01-01T00:00:00Z");
    expect(() => checkSummaryRange(from, t("2027-01-02T00:00:00Z"))).not.toThrow();
    for (const to of ["2027-01-02T00:00:01Z", "2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z"]) {
      expect(() => checkSummaryRange(from, t(to))).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED", fieldProblems: [expect.objectContaining({ field: "to" })] }),
      );
    }
  });

  it("refuses an unknown zone in summarize too", async () => {
    await expect(run([], { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", tz: "Nowhere/Special", groupBy: "category" })).rejects.toBeInstanceOf(ValidationFailed);
    await expect(run([], { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", tz: "Nowhere/Special", groupBy: "day" })).rejects.toBeInstanceOf(ValidationFailed);
  });
});
