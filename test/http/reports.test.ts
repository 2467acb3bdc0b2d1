import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { testApp, type TestApp } from "../support/http.js";
import { at, uniqueName } from "../support/names.js";

describe("GET /reports/summary", () => {
  let t: TestApp;
  let token: string;
  let work: string;
  let play: string;
  const clock = new FixedClock(at("2026-03-30 12:00"));

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
    ({ token } = await t.signUp());
    work = uniqueName("Work");
    play = uniqueName("play");
    await t.request("POST", "/category", { token, body: { name: work } });
    await t.request("POST", "/category", { token, body: { name: play } });
    const log = (category: string, start: string, end?: string) =>
      t.request("POST", "/entry", { token, body: { category, start_time: start, ...(end ? { end_time: end } : {}) } });
    // Across Berlin's midnight (23:30-00:30 local, UTC+1 in February).
    expect((await log(work, "2026-02-10T22:30:00Z", "2026-02-10T23:30:00Z")).statusCode).toBe(201);
    expect((await log(play, "2026-02-11 08:00:00", "2026-02-11 09:00:00")).statusCode).toBe(201);
    // Across the spring change (Berlin 2026-03-29 02:00 → 03:00): 00:00-05:00 local is 4 hours.
    expect((await log(work, "2026-03-29T00:00:00+01:00", "2026-03-29T05:00:00+02:00")).statusCode).toBe(201);
    // A running timer, counted up to the clock's now (12:00Z): two hours.
    expect((await log(play, "2026-03-30 10:00:00")).statusCode).toBe(201);
    // Someone else's time never counts.
    const other = await t.signUp();
    await t.request("POST", "/entry", { token: other.token, body: { category: work, start_time: "2026-02-11 10:00:00", end_time: "2026-02-11 12:00:00" } });
  });
  afterAll(() => t.close());

  const summary = (query: string) => t.request("GET", `/reports/summary?${query}`, { token });

  it("groups by category (the default) with totals and contributing entries", async () => {
    const res = await summary("from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: "2026-02-01T00:00:00Z",
      to: "2026-04-01T00:00:00Z",
      tz: "UTC",
      group_by: "category",
      total_seconds: 3600 + 3600 + 4 * 3600 + 2 * 3600,
      billable_seconds: 0,
      amount_cents: 0,
      currency: "EUR",
      groups: [
        { key: play, seconds: 3600 + 7200, entries: 2, billable_seconds: 0, amount_cents: 0 },
        { key: work, seconds: 3600 + 4 * 3600, entries: 2, billable_seconds: 0, amount_cents: 0 },
      ].sort((a, b) => (a.key.toLowerCase() < b.key.toLowerCase() ? -1 : 1)),
    });
  });

  it("splits days at the zone's midnight and sums a 23-hour day right", async () => {
    const res = await summary("from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z&group_by=day&tz=Europe/Berlin");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      tz: "Europe/Berlin",
      group_by: "day",
      groups: [
        { key: "2026-02-10", seconds: 1800, entries: 1 },
        { key: "2026-02-11", seconds: 1800 + 3600, entries: 2 },
        { key: "2026-03-29", seconds: 4 * 3600, entries: 1 },
        { key: "2026-03-30", seconds: 7200, entries: 1 },
      ],
    });
  });

  it("groups by ISO week and by month", async () => {
    const weeks = await summary("from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z&group_by=week");
    expect(weeks.json().groups.map((g: { key: string }) => g.key)).toEqual(["2026-W07", "2026-W13", "2026-W14"]);
    const months = await summary("from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z&group_by=month");
    expect(months.json().groups).toMatchObject([
      { key: "2026-02", seconds: 7200, entries: 2 },
      { key: "2026-03", seconds: 6 * 3600, entries: 2 },
    ]);
  });

  it("counts only the part inside [from, to)", async () => {
    const res = await summary("from=2026-02-10T23:00:00Z&to=2026-02-11T08:30:00Z");
    expect(res.json().total_seconds).toBe(1800 + 1800);
  });

  it.each([
    ["to=2026-02-02T00:00:00Z", "/from"],
    ["from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z", "/to"],
    ["from=2026-01-01T00:00:00Z&to=2027-01-03T00:00:00Z", "/to"],
    ["from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z&tz=Mars/Olympus", "/tz"],
    ["from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z&group_by=year", "/group_by"],
    ["from=yesterday&to=2026-02-02T00:00:00Z", "/from"],
  ])("refuses %s with 400 on %s", async (query, path) => {
    const res = await summary(query);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json().code).toBe("VALIDATION_FAILED");
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("needs a token", async () => {
    expect((await t.request("GET", "/reports/summary?from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z")).statusCode).toBe(401);
  });
});
