import { beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/application/ports/store.js";
import { openTestStore } from "../support/stores.js";
import type { Actor } from "../../src/application/entry-support.js";
import { SummarizeTime, type SummarizeTimeInput } from "../../src/application/summarize-time.js";
import type { Category } from "../../src/domain/category.js";
import { FixedClock } from "../support/fakes.js";
import { at } from "../support/names.js";

describe("summarize time", () => {
  let store: Store;
  let clock: FixedClock;
  let summarize: SummarizeTime;
  let ann: Actor;
  let bob: Actor;
  let work: Category;
  let play: Category;

  beforeEach(async () => {
    store = await openTestStore();
    clock = new FixedClock(at("2026-03-30 12:00"));
    summarize = new SummarizeTime(store, clock, "EUR");
    ann = await store.users.add({ username: "ann", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
    bob = await store.users.add({ username: "bob", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
    work = await store.categories.add("Work");
    play = await store.categories.add("play");
  });

  const log = (actor: Actor, category: Category, start: string, end: string | null) =>
    store.entries.add({ userId: actor.id, categoryId: category.id, start: new Date(start), end: end === null ? null : new Date(end), note: null });

  const march = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };

  async function problemOf(input: Partial<SummarizeTimeInput>): Promise<unknown> {
    try {
      await summarize.execute({ actor: ann, ...march, ...input });
    } catch (error) {
      return error;
    }
    return "no error";
  }

  const validationOn = (field: string) => ({ code: "VALIDATION_FAILED", fieldProblems: [expect.objectContaining({ field })] });

  it("groups by category in UTC by default, echoing what it computed", async () => {
    await log(ann, work, "2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z");
    await log(ann, play, "2026-03-11T18:00:00Z", "2026-03-11T18:45:00Z");
    await log(ann, work, "2026-03-12T09:00:00Z", "2026-03-12T09:30:00Z");
    const result = await summarize.execute({ actor: ann, ...march });
    expect(result).toMatchObject({
      from: at("2026-03-01 00:00"),
      to: at("2026-04-01 00:00"),
      tz: "UTC",
      groupBy: "category",
      totalSeconds: 11700,
      groups: [
        { key: "play", seconds: 2700, entries: 1 },
        { key: "Work", seconds: 9000, entries: 2 },
      ],
    });
  });

  it("counts only the caller's entries", async () => {
    await log(ann, work, "2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z");
    await log(bob, work, "2026-03-10T09:00:00Z", "2026-03-10T17:00:00Z");
    await log(bob, play, "2026-03-11T09:00:00Z", "2026-03-11T17:00:00Z");
    const result = await summarize.execute({ actor: ann, ...march, groupBy: "day" });
    expect(result.groups).toMatchObject([{ key: "2026-03-10", seconds: 3600, entries: 1 }]);
    expect(result.totalSeconds).toBe(3600);
    expect((await summarize.execute({ actor: bob, ...march })).totalSeconds).toBe(57600);
  });

  it("counts a running timer up to the clock's now, in whole seconds", async () => {
    await log(ann, work, "2026-03-30T10:00:00Z", null);
    clock.set(new Date(Date.UTC(2026, 2, 30, 11, 30, 15, 900)));
    const result = await summarize.execute({ actor: ann, ...march, groupBy: "day" });
    expect(result.groups).toMatchObject([{ key: "2026-03-30", seconds: 5415, entries: 1 }]);
    clock.advanceSeconds(60);
    expect((await summarize.execute({ actor: ann, ...march })).totalSeconds).toBe(5475);
  });

  it("clips entries that overlap the range's edges", async () => {
    await log(ann, work, "2026-02-28T23:00:00Z", "2026-03-01T01:00:00Z");
    await log(ann, work, "2026-03-31T23:30:00Z", "2026-04-01T00:30:00Z");
    await log(ann, work, "2026-04-01T00:30:00Z", "2026-04-01T01:30:00Z");
    const result = await summarize.execute({ actor: ann, ...march, groupBy: "month" });
    expect(result.groups).toMatchObject([{ key: "2026-03", seconds: 5400, entries: 2 }]);
  });

  it("uses the days of the requested zone across the daylight-saving change", async () => {
    // 23:00 (+01:00) on the 28th to 04:00 (+02:00) on the 29th: 4 real hours, 1 of them on the 28th.
    await log(ann, work, "2026-03-28T23:00:00+01:00", "2026-03-29T04:00:00+02:00");
    const berlin = await summarize.execute({ actor: ann, ...march, tz: "Europe/Berlin", groupBy: "day" });
    expect(berlin).toMatchObject({
      tz: "Europe/Berlin",
      groupBy: "day",
      totalSeconds: 14400,
      groups: [
        { key: "2026-03-28", seconds: 3600, entries: 1 },
        { key: "2026-03-29", seconds: 10800, entries: 1 },
      ],
    });
    const utc = await summarize.execute({ actor: ann, ...march, groupBy: "day" });
    expect(utc.groups).toMatchObject([
      { key: "2026-03-28", seconds: 7200, entries: 1 },
      { key: "2026-03-29", seconds: 7200, entries: 1 },
    ]);
  });

  it("reads instants in either accepted form", async () => {
    await log(ann, work, "2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z");
    const result = await summarize.execute({ actor: ann, from: "2026-03-10 10:00:00", to: "2026-03-10T12:00:00+01:00", groupBy: "week" });
    expect(result).toMatchObject({ from: at("2026-03-10 10:00"), to: at("2026-03-10 11:00"), groups: [{ key: "2026-W11", seconds: 3600, entries: 1 }] });
  });

  it("refuses from at or after to, on /to", async () => {
    expect(await problemOf({ from: "2026-03-02T00:00:00Z", to: "2026-03-02T00:00:00Z" })).toMatchObject(validationOn("to"));
    expect(await problemOf({ from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" })).toMatchObject(validationOn("to"));
  });

  it("refuses more than 366 days, on /to, and accepts exactly 366", async () => {
    expect(await problemOf({ from: "2025-01-01T00:00:00Z", to: "2026-01-02T00:00:01Z" })).toMatchObject(validationOn("to"));
    expect(await problemOf({ from: "2025-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" })).toBe("no error");
  });

  it("refuses an unknown zone on /tz and a grouping it does not know on /group_by", async () => {
    expect(await problemOf({ tz: "Mars/Olympus_Mons" })).toMatchObject(validationOn("tz"));
    expect(await problemOf({ tz: "" })).toMatchObject(validationOn("tz"));
    expect(await problemOf({ tz: "+01:00" })).toMatchObject(validationOn("tz"));
    expect(await problemOf({ groupBy: "year" })).toMatchObject(validationOn("group_by"));
    expect(await problemOf({ groupBy: "" })).toMatchObject(validationOn("group_by"));
  });

  it("refuses text that is not an instant, on /from or /to", async () => {
    expect(await problemOf({ from: "yesterday" })).toMatchObject(validationOn("from"));
    expect(await problemOf({ from: "2026-03-01" })).toMatchObject(validationOn("from"));
    expect(await problemOf({ to: "2026-02-30T00:00:00Z" })).toMatchObject(validationOn("to"));
    expect(await problemOf({ to: "2026-04-01T00:00:00" })).toMatchObject(validationOn("to"));
  });

  it("answers an empty summary when nothing is in the range", async () => {
    await log(ann, work, "2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z");
    const result = await summarize.execute({ actor: ann, ...march, tz: "America/New_York", groupBy: "week" });
    expect(result).toMatchObject({ tz: "America/New_York", groupBy: "week", totalSeconds: 0, groups: [] });
  });

  it("has the store sum a report (reading no rows), except by tag", async () => {
    const [tag] = await store.tags.ensure(["deep"]);
    await log(ann, work, "2026-03-10T22:00:00Z", "2026-03-11T01:30:00Z");
    await store.entries.add({ userId: ann.id, categoryId: play.id, start: at("2026-03-11 09:00"), end: at("2026-03-11 09:20"), note: null, tagIds: [tag!.id] });
    const calls = { sums: 0, rows: 0 };
    const counting = { ...store, entries: Object.create(store.entries) as Store["entries"] };
    counting.entries.sumForReport = (query) => (calls.sums++, store.entries.sumForReport(query));
    counting.entries.streamForReport = (query) => (calls.rows++, store.entries.streamForReport(query));
    const summarizing = new SummarizeTime(counting, clock, "EUR");
    for (const groupBy of ["category", "project", "client", "user", "day", "week", "month"]) {
      const before = { ...calls };
      const summed = await summarizing.execute({ actor: ann, ...march, groupBy, tz: "Europe/Berlin" });
      expect(calls, groupBy).toEqual({ sums: before.sums + 1, rows: before.rows });
      expect(summed.totalSeconds, groupBy).toBe(3.5 * 3600 + 20 * 60);
    }
    const days = await summarizing.execute({ actor: ann, ...march, groupBy: "day", tz: "Europe/Berlin" });
    // 23:00 to 02:30 in Berlin: split at its midnight, although the store sums no calendar.
    expect(days.groups.map((g) => [g.key, g.seconds])).toEqual([["2026-03-10", 3600], ["2026-03-11", 9000 + 1200]]);
    const before = { ...calls };
    await summarizing.execute({ actor: ann, ...march, groupBy: "tag" });
    expect(calls).toEqual({ sums: before.sums, rows: before.rows + 1 });
  });
});
