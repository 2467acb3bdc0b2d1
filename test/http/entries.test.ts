import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import {
  allEntries,
  expectEntryShape,
  expectProblem,
  expectValidationError,
  logEntry,
  makeCategory,
  postEntry,
  sendJson,
  type EntryBody,
  signUpWithCategory,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/** The clock of this file: every timer below starts within the 24 hours before it. */
const NOW = "2026-02-11T00:00:00Z";

interface Created {
  message: string;
  entry: EntryBody;
}

describe("time entries", () => {
  const clock = new FixedClock(new Date(NOW));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  const setUp = () => signUpWithCategory(t);

  describe("POST /entry", () => {
    it("answers 201 with the whole entry; the seed's time is read as UTC", async () => {
      const { token, username, category } = await setUp();
      const res = await postEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:30:00",
        note: "planning",
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<Created>();
      expect(Object.keys(body).sort()).toEqual(["entry", "message"]);
      expect(body.message).toBe("Time entry created successfully");
      expectEntryShape(body.entry);
      expect(body.entry).toStrictEqual({
        id: body.entry.id,
        username,
        category: category.name,
        category_id: category.id,
        start_time: "2026-02-10T09:00:00Z",
        end_time: "2026-02-10T10:30:00Z",
        duration_seconds: 5400,
        note: "planning",
        project_id: null,
        project: null,
        client: null,
        tags: [],
        billable: false,
        hourly_rate_cents: null,
        amount_cents: null,
      });
    });

    it("may name the caller as username, in any case; leaving it out is the same", async () => {
      const { token, username, category } = await setUp();
      const named = await logEntry(t, token, {
        username: username.toUpperCase(),
        category: category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
      });
      expect(named.username).toBe(username);
      const unnamed = await logEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 10:00:00",
        end_time: "2026-02-10 11:00:00",
      });
      expect(unnamed.username).toBe(username);
    });

    it("names the category as stored, whatever case the request used", async () => {
      const { token, category } = await setUp();
      const entry = await logEntry(t, token, {
        category: `  ${category.name.toUpperCase()} `,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
      });
      expect(entry.category).toBe(category.name);
      expect(entry.category_id).toBe(category.id);
    });

    it("converts offsets to UTC and drops fractions of a second", async () => {
      const { token, category } = await setUp();
      const cases: [string, string, string, string, number][] = [
        ["2026-02-10T09:00:00+01:00", "2026-02-10T10:00:00+01:00", "2026-02-10T08:00:00Z", "2026-02-10T09:00:00Z", 3600],
        ["2026-02-10T04:30:00-05:30", "2026-02-10T10:15:00Z", "2026-02-10T10:00:00Z", "2026-02-10T10:15:00Z", 900],
        ["2026-02-10T11:00:00.999Z", "2026-02-10T12:00:00.001Z", "2026-02-10T11:00:00Z", "2026-02-10T12:00:00Z", 3600],
        ["2026-02-10T13:00:00.5+00:00", "2026-02-10 14:00:00", "2026-02-10T13:00:00Z", "2026-02-10T14:00:00Z", 3600],
        ["2026-02-10T23:30:00-01:00", "2026-02-11T02:00:00+01:00", "2026-02-11T00:30:00Z", "2026-02-11T01:00:00Z", 1800],
      ];
      for (const [start, end, startOut, endOut, seconds] of cases) {
        const entry = await logEntry(t, token, { category: category.name, start_time: start, end_time: end });
        expect([entry.start_time, entry.end_time, entry.duration_seconds], `${start} – ${end}`).toEqual([
          startOut,
          endOut,
          seconds,
        ]);
      }
    });

    it.each([
      ["a T time with no offset", "2026-02-10T09:00:00"],
      ["a date alone", "2026-02-10"],
      ["a time alone", "09:00:00"],
      ["a day-first date", "10/02/2026 09:00"],
      ["a day that does not exist", "2026-02-30 09:00:00"],
      ["an hour that does not exist", "2026-02-10 24:00:00"],
      ["an empty string", ""],
      ["a word", "now"],
      ["an HTTP date", "Tue, 10 Feb 2026 09:00:00 GMT"],
      ["a Unix time as text", "1770714000"],
    ])("answers 400 for a start_time that is %s, and keeps nothing", async (_label, start) => {
      const { token, username, category } = await setUp();
      const res = await postEntry(t, token, { category: category.name, start_time: start, end_time: "2026-02-10 10:00:00" });
      expectValidationError(res, "/start_time");
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("answers 400 for an end_time that is not a time", async () => {
      const { token, username, category } = await setUp();
      const res = await postEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10T10:00:00",
      });
      expectValidationError(res, "/end_time");
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("answers 403 for another user's username, and keeps nothing", async () => {
      const { token, username, category } = await setUp();
      const other = await t.signUp();
      for (const name of [other.username, other.username.toUpperCase(), uniqueName("nobody")]) {
        const res = await postEntry(t, token, {
          username: name,
          category: category.name,
          start_time: "2026-02-10 09:00:00",
          end_time: "2026-02-10 10:00:00",
        });
        expectProblem(res, 403, "FORBIDDEN");
      }
      expect(await allEntries(t, token, username)).toEqual([]);
      expect(await allEntries(t, other.token, other.username)).toEqual([]);
    });

    it("answers 404 CATEGORY_NOT_FOUND for an unknown category, and keeps nothing", async () => {
      const { token, username } = await setUp();
      const res = await postEntry(t, token, {
        category: uniqueName("nowhere"),
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
      });
      expectProblem(res, 404, "CATEGORY_NOT_FOUND");
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("answers 400 when end_time is not after start_time", async () => {
      const { token, username, category } = await setUp();
      for (const end of ["2026-02-10 09:00:00", "2026-02-10 08:59:59", "2026-02-10T10:00:00+01:00"]) {
        const res = await postEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: end });
        expectValidationError(res, "/end_time");
      }
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("accepts exactly 24 hours and answers 422 ENTRY_TOO_LONG for one second more", async () => {
      const { token, username, category } = await setUp();
      const long = await postEntry(t, token, {
        category: category.name,
        start_time: "2026-02-01 09:00:00",
        end_time: "2026-02-02 09:00:01",
      });
      expectProblem(long, 422, "ENTRY_TOO_LONG");
      expect(await allEntries(t, token, username)).toEqual([]);
      const day = await logEntry(t, token, {
        category: category.name,
        start_time: "2026-02-01 09:00:00",
        end_time: "2026-02-02 09:00:00",
      });
      expect(day.duration_seconds).toBe(86_400);
    });

    it("answers 409 ENTRY_OVERLAP naming the other entry for every kind of overlap", async () => {
      const { token, username, category } = await setUp();
      const existing = await logEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
      });
      for (const [start, end] of [
        ["2026-02-10 09:00:00", "2026-02-10 10:00:00"],
        ["2026-02-10 08:30:00", "2026-02-10 09:00:01"],
        ["2026-02-10 09:59:59", "2026-02-10 11:00:00"],
        ["2026-02-10 09:15:00", "2026-02-10 09:45:00"],
        ["2026-02-10 08:00:00", "2026-02-10 11:00:00"],
      ] as const) {
        const res = await postEntry(t, token, { category: category.name, start_time: start, end_time: end });
        const problem = expectProblem(res, 409, "ENTRY_OVERLAP");
        expect(problem.type).toBe("urn:time-tracker:problem:entry-overlap");
        expect(problem.title).toBe("Time entry overlaps another entry");
        expect(problem.detail).toMatch(new RegExp(`\\b${existing.id}\\b`));
      }
      expect((await allEntries(t, token, username)).map((entry) => entry.id)).toEqual([existing.id]);
    });

    it("accepts adjacent entries: intervals are half-open", async () => {
      const { token, username, category } = await setUp();
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 10:00:00", end_time: "2026-02-10 11:00:00" });
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 08:00:00", end_time: "2026-02-10 09:00:00" });
      expect((await allEntries(t, token, username)).map((entry) => entry.start_time)).toEqual([
        "2026-02-10T08:00:00Z",
        "2026-02-10T09:00:00Z",
        "2026-02-10T10:00:00Z",
      ]);
    });

    it("does not compare one user's entries with another's", async () => {
      const a = await setUp();
      const b = await t.signUp();
      const body = { category: a.category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" };
      await logEntry(t, a.token, body);
      await logEntry(t, b.token, body);
    });

    it("keeps a note of up to 500 characters (counted as characters), null when left out", async () => {
      const { token, category } = await setUp();
      const plain = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 01:00:00", end_time: "2026-02-10 02:00:00" });
      expect(plain.note).toBeNull();
      const nulled = await logEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 02:00:00",
        end_time: "2026-02-10 03:00:00",
        note: null,
      });
      expect(nulled.note).toBeNull();
      for (const [i, note] of ["n".repeat(500), "😀".repeat(500), "é".repeat(500), ""].entries()) {
        const entry = await logEntry(t, token, {
          category: category.name,
          start_time: `2026-02-10 ${String(4 + i).padStart(2, "0")}:00:00`,
          end_time: `2026-02-10 ${String(4 + i).padStart(2, "0")}:30:00`,
          note,
        });
        expect(entry.note).toBe(note);
      }
    });

    it("answers 400 for a note of 501 characters", async () => {
      const { token, username, category } = await setUp();
      const res = await postEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
        note: "n".repeat(501),
      });
      expectValidationError(res, "/note");
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("answers 400 naming each missing required field", async () => {
      const { token, category } = await setUp();
      expectValidationError(await t.request("POST", "/entry", { token, body: { start_time: "2026-02-10 09:00:00" } }), "/category");
      expectValidationError(await t.request("POST", "/entry", { token, body: { category: category.name } }), "/start_time");
    });
  });

  describe("timers", () => {
    it("starts a timer when end_time is left out or null: end and duration are null", async () => {
      const { token, category } = await setUp();
      const entry = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      expectEntryShape(entry);
      expect(entry.start_time).toBe("2026-02-10T09:00:00Z");
      expect(entry.end_time).toBeNull();
      expect(entry.duration_seconds).toBeNull();

      const other = await setUp();
      const nulled = await logEntry(t, other.token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: null });
      expect(nulled.end_time).toBeNull();
    });

    it("answers 409 TIMER_ALREADY_RUNNING for a second timer, and keeps nothing", async () => {
      const { token, username, category } = await setUp();
      const first = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      for (const start of ["2026-02-10 12:00:00", "2026-02-10 08:00:00"]) {
        expectProblem(await postEntry(t, token, { category: category.name, start_time: start }), 409, "TIMER_ALREADY_RUNNING");
      }
      expect((await allEntries(t, token, username)).map((entry) => entry.id)).toEqual([first.id]);
    });

    it("counts a running timer as lasting until now and on: it blocks a later entry", async () => {
      const { token, username, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 10:00:00" });
      for (const [start, end] of [
        ["2026-02-10 12:00:00", "2026-02-10 13:00:00"],
        ["2026-02-10 09:30:00", "2026-02-10 10:30:00"],
        ["2026-02-11 01:00:00", "2026-02-11 02:00:00"],
      ] as const) {
        const res = await postEntry(t, token, { category: category.name, start_time: start, end_time: end });
        const problem = expectProblem(res, 409, "ENTRY_OVERLAP");
        expect(problem.detail).toMatch(new RegExp(`\\b${timer.id}\\b`));
      }
      // Before it, and up to its start, is fine.
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      expect(await allEntries(t, token, username)).toHaveLength(2);
    });

    it("refuses a timer that would overlap a finished entry", async () => {
      const { token, category } = await setUp();
      const done = await logEntry(t, token, {
        category: category.name,
        start_time: "2026-02-10 12:00:00",
        end_time: "2026-02-10 13:00:00",
      });
      const res = await postEntry(t, token, { category: category.name, start_time: "2026-02-10 11:00:00" });
      expect(expectProblem(res, 409, "ENTRY_OVERLAP").detail).toMatch(new RegExp(`\\b${done.id}\\b`));
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 13:00:00" });
    });

    it("starts at most 24 hours in the past (422 ENTRY_TOO_LONG) and never in the future (400)", async () => {
      const { token, username, category } = await setUp();
      expectProblem(await postEntry(t, token, { category: category.name, start_time: "2026-02-09T23:59:59Z" }), 422, "ENTRY_TOO_LONG");
      expectValidationError(await postEntry(t, token, { category: category.name, start_time: "2026-02-11T00:00:01Z" }), "/start_time");
      expectValidationError(await postEntry(t, token, { category: category.name, start_time: "2026-02-11T01:00:00+00:00" }), "/start_time");
      expect(await allEntries(t, token, username)).toEqual([]);

      const edge = await logEntry(t, token, { category: category.name, start_time: "2026-02-10T00:00:00Z" });
      expect(edge.start_time).toBe("2026-02-10T00:00:00Z");
      const now = await setUp();
      expect((await logEntry(t, now.token, { category: category.name, start_time: NOW })).start_time).toBe(NOW);
    });

    it("stops with POST /entry/{id}/stop: 200 with end and duration, now by default", async () => {
      const { token, username, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 22:00:00", note: "n" });
      const res = await t.request("POST", `/entry/${timer.id}/stop`, { token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<{ entry: EntryBody }>();
      expect(Object.keys(body)).toEqual(["entry"]);
      expectEntryShape(body.entry);
      expect(body.entry).toStrictEqual({ ...timer, end_time: NOW, duration_seconds: 7200, username });
    });

    it("stops at the end_time given, with {} or an empty JSON body meaning now", async () => {
      const { token, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      const res = await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end_time: "2026-02-10T11:30:00.9+01:00" } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ entry: EntryBody }>().entry).toMatchObject({ end_time: "2026-02-10T10:30:00Z", duration_seconds: 5400 });

      const again = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 20:00:00" });
      const empty = await t.request("POST", `/entry/${again.id}/stop`, { token, body: {} });
      expect(empty.json<{ entry: EntryBody }>().entry.end_time).toBe(NOW);

      const third = await setUp();
      const timer3 = await logEntry(t, third.token, { category: category.name, start_time: "2026-02-10 20:00:00" });
      const blank = await sendJson(t, "POST", `/entry/${timer3.id}/stop`, "", third.token);
      expect(blank.statusCode, blank.body).toBe(200);
      expect(blank.json<{ entry: EntryBody }>().entry.end_time).toBe(NOW);
    });

    it("answers 409 TIMER_NOT_RUNNING when stopping again, or stopping a finished entry", async () => {
      const { token, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      const stopped = await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end_time: "2026-02-10 10:00:00" } });
      expect(stopped.statusCode).toBe(200);
      const again = await t.request("POST", `/entry/${timer.id}/stop`, { token });
      expectProblem(again, 409, "TIMER_NOT_RUNNING");
      const entry = (await t.request("GET", `/entry/${timer.id}`, { token })).json<{ entry: EntryBody }>().entry;
      expect(entry.end_time).toBe("2026-02-10T10:00:00Z");
    });

    it("answers 400 for a stop before the start, and the timer keeps running", async () => {
      const { token, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      for (const end of ["2026-02-10 09:00:00", "2026-02-10 08:00:00"]) {
        expectValidationError(await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end_time: end } }), "/end_time");
      }
      expectValidationError(await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end_time: "soon" } }), "/end_time");
      expectValidationError(await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end: "2026-02-10 10:00:00" } }), "/end");
      const entry = (await t.request("GET", `/entry/${timer.id}`, { token })).json<{ entry: EntryBody }>().entry;
      expect(entry.end_time).toBeNull();
    });

    it.each(["null", "[]", "0", "false", '"now"'])(
      "answers 400 for a stop body of %s, and the timer keeps running",
      async (text) => {
        const { token, category } = await setUp();
        const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
        const res = await sendJson(t, "POST", `/entry/${timer.id}/stop`, text, token);
        expectProblem(res, 400, "VALIDATION_FAILED");
        const entry = (await t.request("GET", `/entry/${timer.id}`, { token })).json<{ entry: EntryBody }>().entry;
        expect(entry.end_time).toBeNull();
      },
    );
  });

  describe("GET /entry/{id}", () => {
    it("answers 200 with the entry", async () => {
      const { token, category } = await setUp();
      const entry = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note: "x" });
      const res = await t.request("GET", `/entry/${entry.id}`, { token });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toStrictEqual({ entry });
    });
  });

  describe("PATCH /entry/{id}", () => {
    async function withEntry() {
      const user = await setUp();
      const entry = await logEntry(t, user.token, {
        category: user.category.name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
        note: "first",
      });
      return { ...user, entry };
    }

    it("changes the category (named in any case) and the note, keeping the rest", async () => {
      const { token, entry } = await withEntry();
      const other = await makeCategory(t, token);
      const res = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { category: other.name.toUpperCase(), note: "second" } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ entry: EntryBody }>();
      expect(Object.keys(body)).toEqual(["entry"]);
      expect(body.entry).toStrictEqual({ ...entry, category: other.name, category_id: other.id, note: "second" });
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json()).toStrictEqual(body);
    });

    it("clears the note with null, and changes nothing with {}", async () => {
      const { token, entry } = await withEntry();
      const cleared = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { note: null } });
      expect(cleared.json<{ entry: EntryBody }>().entry).toStrictEqual({ ...entry, note: null });
      const same = await t.request("PATCH", `/entry/${entry.id}`, { token, body: {} });
      expect(same.statusCode).toBe(200);
      expect(same.json<{ entry: EntryBody }>().entry).toStrictEqual({ ...entry, note: null });
    });

    it("changes the times, converting offsets, and recomputes the duration", async () => {
      const { token, entry } = await withEntry();
      const res = await t.request("PATCH", `/entry/${entry.id}`, {
        token,
        body: { start_time: "2026-02-10T09:30:00+01:00", end_time: "2026-02-10 11:15:00.75" },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ entry: EntryBody }>().entry).toMatchObject({
        start_time: "2026-02-10T08:30:00Z",
        end_time: "2026-02-10T11:15:00Z",
        duration_seconds: 9900,
      });
    });

    it("may move an entry onto part of its own old interval", async () => {
      const { token, entry } = await withEntry();
      const res = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { start_time: "2026-02-10 09:30:00" } });
      expect(res.statusCode, res.body).toBe(200);
    });

    it("re-checks overlap (409 naming the other entry) and leaves the entry as it was", async () => {
      const { token, category, entry } = await withEntry();
      const other = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 11:00:00", end_time: "2026-02-10 12:00:00" });
      const res = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { end_time: "2026-02-10 11:30:00" } });
      expect(expectProblem(res, 409, "ENTRY_OVERLAP").detail).toMatch(new RegExp(`\\b${other.id}\\b`));
      const moved = await t.request("PATCH", `/entry/${entry.id}`, {
        token,
        body: { start_time: "2026-02-10 11:59:59", end_time: "2026-02-10 13:00:00" },
      });
      expectProblem(moved, 409, "ENTRY_OVERLAP");
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json()).toStrictEqual({ entry });
      // Adjacent is fine.
      const adjacent = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { end_time: "2026-02-10 11:00:00" } });
      expect(adjacent.statusCode, adjacent.body).toBe(200);
    });

    it("re-checks the length (422) and the order (400)", async () => {
      const { token, entry } = await withEntry();
      expectProblem(
        await t.request("PATCH", `/entry/${entry.id}`, { token, body: { end_time: "2026-02-11 09:00:01" } }),
        422,
        "ENTRY_TOO_LONG",
      );
      expectValidationError(
        await t.request("PATCH", `/entry/${entry.id}`, { token, body: { start_time: "2026-02-10 10:00:00" } }),
        "/end_time",
      );
      expectValidationError(
        await t.request("PATCH", `/entry/${entry.id}`, { token, body: { end_time: "2026-02-10 08:00:00" } }),
        "/end_time",
      );
      expectValidationError(
        await t.request("PATCH", `/entry/${entry.id}`, { token, body: { start_time: "2026-02-10T09:00:00" } }),
        "/start_time",
      );
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json()).toStrictEqual({ entry });
    });

    it("answers 404 CATEGORY_NOT_FOUND for an unknown category and leaves the entry as it was", async () => {
      const { token, entry } = await withEntry();
      const res = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { category: uniqueName("none"), note: "changed" } });
      expectProblem(res, 404, "CATEGORY_NOT_FOUND");
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json()).toStrictEqual({ entry });
    });

    it("answers 400 for a note over 500 characters, an unknown field, or a null time", async () => {
      const { token, entry } = await withEntry();
      expectValidationError(await t.request("PATCH", `/entry/${entry.id}`, { token, body: { note: "n".repeat(501) } }), "/note");
      expectValidationError(await t.request("PATCH", `/entry/${entry.id}`, { token, body: { user_id: 1 } }), "/user_id");
      expectValidationError(await t.request("PATCH", `/entry/${entry.id}`, { token, body: { username: "x" } }), "/username");
      const nullStart = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { start_time: null } });
      expectProblem(nullStart, 400, "VALIDATION_FAILED");
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json()).toStrictEqual({ entry });
    });

    it("edits a running timer under the timer rules: note fine, a future start 400, an end stops it", async () => {
      const { token, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 20:00:00" });
      const noted = await t.request("PATCH", `/entry/${timer.id}`, { token, body: { note: "still going" } });
      expect(noted.json<{ entry: EntryBody }>().entry).toMatchObject({ end_time: null, duration_seconds: null, note: "still going" });
      expectValidationError(
        await t.request("PATCH", `/entry/${timer.id}`, { token, body: { start_time: "2026-02-11 00:00:01" } }),
        "/start_time",
      );
      expectProblem(
        await t.request("PATCH", `/entry/${timer.id}`, { token, body: { start_time: "2026-02-09 23:00:00" } }),
        422,
        "ENTRY_TOO_LONG",
      );
      const ended = await t.request("PATCH", `/entry/${timer.id}`, { token, body: { end_time: "2026-02-10 21:00:00" } });
      expect(ended.json<{ entry: EntryBody }>().entry).toMatchObject({ end_time: "2026-02-10T21:00:00Z", duration_seconds: 3600 });
    });
  });

  describe("DELETE /entry/{id}", () => {
    it("answers 204 with no body, then 404, and frees the time", async () => {
      const { token, username, category } = await setUp();
      const body = { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" };
      const entry = await logEntry(t, token, body);
      const res = await t.request("DELETE", `/entry/${entry.id}`, { token });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe("");
      expect(res.headers["x-request-id"]).toBeTruthy();
      expectProblem(await t.request("GET", `/entry/${entry.id}`, { token }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("DELETE", `/entry/${entry.id}`, { token }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("PATCH", `/entry/${entry.id}`, { token, body: { note: "x" } }), 404, "ENTRY_NOT_FOUND");
      expect(await allEntries(t, token, username)).toEqual([]);
      await logEntry(t, token, body);
    });

    it("deletes a running timer, after which a new one may start", async () => {
      const { token, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      expect((await t.request("DELETE", `/entry/${timer.id}`, { token })).statusCode).toBe(204);
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 10:00:00" });
    });
  });

  describe("another user's entry", () => {
    it("is 404 ENTRY_NOT_FOUND on GET, PATCH, DELETE and stop, exactly like a missing one, and stays untouched", async () => {
      const owner = await setUp();
      const timer = await logEntry(t, owner.token, { category: owner.category.name, start_time: "2026-02-10 09:00:00", note: "mine" });
      const intruder = await t.signUp();
      const missing = 2_000_000_000;
      const attempts: [string, string, object | undefined][] = [
        ["GET", "", undefined],
        ["PATCH", "", { note: "yours now" }],
        ["DELETE", "", undefined],
        ["POST", "/stop", {}],
      ];
      for (const [method, suffix, body] of attempts) {
        const theirs = await t.request(method, `/entry/${timer.id}${suffix}`, { token: intruder.token, ...(body ? { body } : {}) });
        const nobodys = await t.request(method, `/entry/${missing}${suffix}`, { token: intruder.token, ...(body ? { body } : {}) });
        const theirsBody = expectProblem(theirs, 404, "ENTRY_NOT_FOUND");
        const nobodysBody = expectProblem(nobodys, 404, "ENTRY_NOT_FOUND");
        expect({ ...theirsBody, detail: undefined }).toStrictEqual({ ...nobodysBody, detail: undefined });
        expect(theirs.body).not.toContain("mine");
        expect(theirs.body).not.toContain(owner.username);
      }
      const after = await t.request("GET", `/entry/${timer.id}`, { token: owner.token });
      expect(after.json()).toStrictEqual({ entry: timer });
    });
  });

  describe("entry ids that are not positive integers", () => {
    const ids = ["abc", "0", "-1", "1.5", "99999999999", "1e3", "0x10", "%20", "1%00", "NaN", "Infinity", "9007199254740993", "+1", "1%20", "4294967296"];
    it.each(ids)("answer 404 ENTRY_NOT_FOUND for %s on GET, PATCH, DELETE and stop", async (id) => {
      const { token, category } = await setUp();
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      expectProblem(await t.request("GET", `/entry/${id}`, { token }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("PATCH", `/entry/${id}`, { token, body: { note: "x" } }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("DELETE", `/entry/${id}`, { token }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("POST", `/entry/${id}/stop`, { token }), 404, "ENTRY_NOT_FOUND");
    });
  });
});

describe("a timer left running for more than 24 hours", () => {
  it("needs an explicit end within 24 hours of its start (422 ENTRY_TOO_LONG otherwise)", async () => {
    const clock = new FixedClock(new Date("2026-02-10T09:00:00Z"));
    const t = await testApp({ overrides: { clock } });
    try {
      const username = uniqueName("late");
      await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      const login = async () =>
        (await t.request("POST", "/login", { body: { username, password: PASSWORD } })).json<{ token: string }>().token;
      let token = await login();
      const category = await makeCategory(t, token);
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 08:00:00" });
      clock.advanceSeconds(25 * 3600);
      token = await login();
      expectProblem(await t.request("POST", `/entry/${timer.id}/stop`, { token }), 422, "ENTRY_TOO_LONG");
      const res = await t.request("POST", `/entry/${timer.id}/stop`, { token, body: { end_time: "2026-02-10 17:00:00" } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ entry: EntryBody }>().entry.duration_seconds).toBe(9 * 3600);
    } finally {
      await t.close();
    }
  });
});
