import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDays,
  dayKey,
  elapsedSeconds,
  firstDayOfWeek,
  formatDuration,
  formatElapsed,
  fromLocalInput,
  presetRange,
  secondsByDay,
  secondsOnDays,
  splitAtMidnight,
  toApiInstant,
  toLocalInput,
  weekDays,
} from "../../../web/src/lib/time.js";
import { categoriesByRecentUse, matchCategory } from "../../../web/src/lib/categories.js";

// Local-time maths is checked in a zone with daylight saving time.
const previousTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Europe/Berlin";
});
afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe("durations", () => {
  it("writes h:mm, minutes rounded down, hours past 24 kept", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(59)).toBe("0:00");
    expect(formatDuration(60)).toBe("0:01");
    expect(formatDuration(5400)).toBe("1:30");
    expect(formatDuration(90_000)).toBe("25:00");
    expect(formatDuration(-5)).toBe("0:00");
  });

  it("writes the timer's elapsed time as h:mm:ss", () => {
    expect(formatElapsed(7)).toBe("0:00:07");
    expect(formatElapsed(3725)).toBe("1:02:05");
    expect(elapsedSeconds(new Date("2026-03-01T10:00:00Z"), new Date("2026-03-01T10:01:05.900Z"))).toBe(65);
    expect(elapsedSeconds(new Date("2026-03-01T10:00:00Z"), new Date("2026-03-01T09:00:00Z"))).toBe(0);
  });
});

describe("splitting at midnight", () => {
  it("keeps an entry within one day whole", () => {
    const pieces = splitAtMidnight(new Date(2026, 2, 2, 9, 0), new Date(2026, 2, 2, 10, 30));
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ day: "2026-03-02", startMinute: 540, endMinute: 630 });
  });

  it("cuts an entry that crosses local midnight into one piece per day", () => {
    const pieces = splitAtMidnight(new Date(2026, 2, 2, 22, 0), new Date(2026, 2, 3, 1, 30));
    expect(pieces.map((p) => [p.day, p.startMinute, p.endMinute])).toEqual([
      ["2026-03-02", 1320, 1440],
      ["2026-03-03", 0, 90],
    ]);
    expect([...secondsByDay(new Date(2026, 2, 2, 22, 0), new Date(2026, 2, 3, 1, 30))]).toEqual([
      ["2026-03-02", 7200],
      ["2026-03-03", 5400],
    ]);
  });

  it("cuts at local midnight on a daylight-saving day too (a 23-hour day)", () => {
    // 29 March 2026 is 23 hours long in Berlin.
    const pieces = splitAtMidnight(new Date(2026, 2, 28, 23, 0), new Date(2026, 2, 30, 1, 0));
    expect(pieces.map((p) => p.day)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(pieces[1]?.endMinute).toBe(1380);
    const seconds = secondsByDay(new Date(2026, 2, 28, 23, 0), new Date(2026, 2, 30, 1, 0));
    expect(seconds.get("2026-03-29")).toBe(23 * 3600);
  });

  it("adds up many intervals on the given days only, every day present", () => {
    const days = ["2026-03-02", "2026-03-03", "2026-03-04"];
    const totals = secondsOnDays(
      [
        { start: new Date(2026, 2, 1, 23, 0), end: new Date(2026, 2, 2, 1, 0) }, // half before the days
        { start: new Date(2026, 2, 2, 9, 0), end: new Date(2026, 2, 2, 10, 30) },
        { start: new Date(2026, 2, 3, 23, 30), end: new Date(2026, 2, 4, 0, 15) },
        { start: new Date(2026, 2, 6, 9, 0), end: new Date(2026, 2, 6, 10, 0) }, // after them
      ],
      days,
    );
    expect([...totals]).toEqual([
      ["2026-03-02", 3600 + 5400],
      ["2026-03-03", 1800],
      ["2026-03-04", 900],
    ]);
    expect([...secondsOnDays([], days).values()]).toEqual([0, 0, 0]);
  });

  it("gives nothing for an empty or reversed interval", () => {
    expect(splitAtMidnight(new Date(2026, 2, 2, 9), new Date(2026, 2, 2, 9))).toEqual([]);
    expect(splitAtMidnight(new Date(2026, 2, 2, 10), new Date(2026, 2, 2, 9))).toEqual([]);
  });
});

describe("week layout", () => {
  it("starts the week on the locale's first day (Monday where the engine cannot say)", () => {
    expect(firstDayOfWeek("de-DE")).toBe(1);
    expect([1, 7]).toContain(firstDayOfWeek("en-US"));
    expect(firstDayOfWeek("not a locale !")).toBe(1);
  });

  it("lays out seven local days around a date, from the given first day", () => {
    const wednesday = new Date(2026, 2, 4, 15, 0);
    expect(weekDays(wednesday, 1).map(dayKey)).toEqual([
      "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08",
    ]);
    expect(weekDays(wednesday, 7).map(dayKey)[0]).toBe("2026-03-01");
    expect(weekDays(new Date(2026, 2, 8), 1).map(dayKey)[0]).toBe("2026-03-02");
    expect(weekDays(new Date(2026, 2, 8), 7).map(dayKey)[0]).toBe("2026-03-08");
    expect(weekDays(new Date(2026, 2, 7), 6).map(dayKey)[0]).toBe("2026-03-07");
  });

  it("counts days by calendar across daylight-saving changes", () => {
    expect(dayKey(addDays(new Date(2026, 2, 28), 1))).toBe("2026-03-29");
    expect(dayKey(addDays(new Date(2026, 2, 29), 1))).toBe("2026-03-30");
  });

  it("has report presets as [from, to) ranges", () => {
    const today = new Date(2026, 2, 4, 12);
    const week = presetRange("this-week", today, 1);
    expect([dayKey(week.from), dayKey(week.to)]).toEqual(["2026-03-02", "2026-03-09"]);
    const last = presetRange("last-week", today, 1);
    expect([dayKey(last.from), dayKey(last.to)]).toEqual(["2026-02-23", "2026-03-02"]);
    const month = presetRange("last-month", today, 1);
    expect([dayKey(month.from), dayKey(month.to)]).toEqual(["2026-02-01", "2026-03-01"]);
    const year = presetRange("this-year", today, 1);
    expect([dayKey(year.from), dayKey(year.to)]).toEqual(["2026-01-01", "2027-01-01"]);
    expect(dayKey(presetRange("this-month", today, 1).to)).toBe("2026-04-01");
  });
});

describe("form values", () => {
  it("reads and writes datetime-local values as local time, and the API's instants in UTC", () => {
    const date = fromLocalInput("2026-03-02T09:30");
    expect(date).not.toBeNull();
    expect(toLocalInput(date as Date)).toBe("2026-03-02T09:30");
    expect(toApiInstant(date as Date)).toBe("2026-03-02T08:30:00Z");
    expect(fromLocalInput("2026-03-02")?.getHours()).toBe(0);
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("yesterday")).toBeNull();
  });
});

describe("category chips", () => {
  it("orders names by most recent use, then the unused ones by name; matches typed names case-insensitively", () => {
    const entries = [
      { category: "Work", start_time: "2026-03-01T09:00:00Z" },
      { category: "Study", start_time: "2026-03-02T09:00:00Z" },
      { category: "Work", start_time: "2026-02-01T09:00:00Z" },
    ];
    expect(categoriesByRecentUse(entries, ["Admin", "Study", "Work", "Chores"])).toEqual(["Study", "Work", "Admin", "Chores"]);
    expect(matchCategory(" work ", ["Work"])).toBe("Work");
    expect(matchCategory("Play", ["Work"])).toBeNull();
    expect(matchCategory("  ", ["Work"])).toBeNull();
  });
});
