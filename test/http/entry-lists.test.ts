import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { testApp, type TestApp } from "../support/http.js";
import { parseCsv } from "../support/csv.js";
import {
  expectEntryShape,
  expectProblem,
  expectValidationError,
  logEntry,
  makeCategory,
  type EntryBody,
  type EntryListBody,
  signUpWithCategory,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/** The six columns added with projects, for an entry with none of it: no project, client, tags or rate; not billable. */
const NO_BOOKING_CSV = ["", "", "", "false", "", ""];

const CSV_HEADER =
  "id,username,category,start_time,end_time,duration_seconds,note,project,client,tags,billable,hourly_rate_cents,amount_cents";

describe("GET /entries/{username}", () => {
  const clock = new FixedClock(new Date("2026-03-01T12:00:00Z"));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  const setUp = () => signUpWithCategory(t);

  function list(token: string, username: string, query = "") {
    return t.request("GET", `/entries/${encodeURIComponent(username)}${query ? `?${query}` : ""}`, { token });
  }

  /** Four adjacent hours, 08:00–12:00 on 2026-02-10, logged out of order. */
  async function fourHours(token: string, category: string): Promise<EntryBody[]> {
    const made: EntryBody[] = [];
    for (const hour of [10, 8, 11, 9]) {
      const h = String(hour).padStart(2, "0");
      const next = String(hour + 1).padStart(2, "0");
      made.push(await logEntry(t, token, { category, start_time: `2026-02-10 ${h}:00:00`, end_time: `2026-02-10 ${next}:00:00` }));
    }
    return made.sort((a, b) => a.start_time.localeCompare(b.start_time));
  }

  describe("JSON", () => {
    it("answers 200 {username, entries, next_cursor}, oldest first, every entry whole", async () => {
      const { token, username, category } = await setUp();
      const made = await fourHours(token, category.name);
      const res = await list(token, username);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<EntryListBody>();
      expect(Object.keys(body).sort()).toEqual(["entries", "next_cursor", "username"]);
      expect(body.username).toBe(username);
      expect(body.next_cursor).toBeNull();
      body.entries.forEach(expectEntryShape);
      expect(body.entries).toStrictEqual(made);
      expect(body.entries.map((entry) => entry.start_time)).toEqual([
        "2026-02-10T08:00:00Z",
        "2026-02-10T09:00:00Z",
        "2026-02-10T10:00:00Z",
        "2026-02-10T11:00:00Z",
      ]);
    });

    it("answers an empty list for a user with no entries", async () => {
      const { token, username } = await setUp();
      expect((await list(token, username)).json()).toStrictEqual({ username, entries: [], next_cursor: null });
    });

    it("finds the owner case-insensitively and answers with the name as stored", async () => {
      const { token, username, category } = await setUp();
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 08:00:00", end_time: "2026-02-10 09:00:00" });
      const body = (await list(token, username.toUpperCase())).json<EntryListBody>();
      expect(body.username).toBe(username);
      expect(body.entries).toHaveLength(1);
    });

    it("lists a running timer with null end and duration", async () => {
      const { token, username, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-03-01 11:00:00" });
      expect((await list(token, username)).json<EntryListBody>().entries).toStrictEqual([timer]);
    });

    it("lists overlapping entries carried over from a seed database, oldest first", async () => {
      const { token, username, userId, category } = await setUp();
      const add = (start: string, end: string | null) =>
        t.store.entries.add({ userId, categoryId: category.id, start: new Date(start), end: end === null ? null : new Date(end), note: null });
      const a = await add("2026-02-10T09:00:00Z", "2026-02-10T11:00:00Z");
      const b = await add("2026-02-10T10:00:00Z", "2026-02-10T12:00:00Z");
      const c = await add("2026-02-10T10:00:00Z", "2026-02-10T10:30:00Z");
      const body = (await list(token, username)).json<EntryListBody>();
      expect(body.entries.map((entry) => entry.id)).toEqual([a.id, b.id, c.id]);
      const csv = parseCsv((await list(token, username, "format=csv")).body);
      expect(csv.slice(1).map((row) => Number(row[0]))).toEqual(body.entries.map((entry) => entry.id));
      // New writes are still checked against them.
      const res = await t.request("POST", "/entry", {
        token,
        body: { category: category.name, start_time: "2026-02-10 11:30:00", end_time: "2026-02-10 12:30:00" },
      });
      expectProblem(res, 409, "ENTRY_OVERLAP");
    });

    it("answers 404 USER_NOT_FOUND for an unknown user and 403 FORBIDDEN for another user's entries", async () => {
      const { token } = await setUp();
      const other = await setUp();
      await logEntry(t, other.token, { category: other.category.name, start_time: "2026-02-10 08:00:00", end_time: "2026-02-10 09:00:00", note: "secret" });
      expectProblem(await list(token, uniqueName("ghost")), 404, "USER_NOT_FOUND");
      const forbidden = await list(token, other.username);
      expectProblem(forbidden, 403, "FORBIDDEN");
      expect(forbidden.body).not.toContain("secret");
      expectProblem(await list(token, other.username.toUpperCase()), 403, "FORBIDDEN");
      expectProblem(await list(token, other.username, "format=csv"), 403, "FORBIDDEN");
      expectProblem(await list(token, uniqueName("ghost"), "format=csv"), 404, "USER_NOT_FOUND");
    });
  });

  describe("filters", () => {
    it("keeps the entries overlapping [from, to)", async () => {
      const { token, username, category } = await setUp();
      const [e8, e9, e10, e11] = (await fourHours(token, category.name)) as [EntryBody, EntryBody, EntryBody, EntryBody];
      const ids = async (query: string) => {
        const res = await list(token, username, query);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<EntryListBody>().entries.map((entry) => entry.id);
      };
      expect(await ids("from=2026-02-10%2009:00:00&to=2026-02-10%2011:00:00")).toEqual([e9.id, e10.id]);
      expect(await ids("from=2026-02-10T09:30:00Z&to=2026-02-10T10:30:00Z")).toEqual([e9.id, e10.id]);
      expect(await ids("from=2026-02-10T10:00:00Z")).toEqual([e10.id, e11.id]);
      expect(await ids("to=2026-02-10T09:00:01Z")).toEqual([e8.id, e9.id]);
      expect(await ids("to=2026-02-10T09:00:00Z")).toEqual([e8.id]);
      expect(await ids(`from=${encodeURIComponent("2026-02-10T10:00:00+01:00")}`)).toEqual([e9.id, e10.id, e11.id]);
      expect(await ids("from=2026-02-10T12:00:00Z")).toEqual([]);
      expect(await ids("from=2026-02-10T07:00:00.999Z&to=2026-02-10T08:00:00.999Z")).toEqual([]);
    });

    it("counts a running timer as open-ended", async () => {
      const { token, username, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-03-01 06:00:00" });
      const body = (await list(token, username, "from=2026-03-01T11:00:00Z&to=2026-03-01T11:30:00Z")).json<EntryListBody>();
      expect(body.entries.map((entry) => entry.id)).toEqual([timer.id]);
      const before = (await list(token, username, "to=2026-03-01T06:00:00Z")).json<EntryListBody>();
      expect(before.entries).toEqual([]);
    });

    it("answers 400 for a bad from or to, or from not before to", async () => {
      const { token, username } = await setUp();
      expectValidationError(await list(token, username, "from=2026-02-10"), "/from");
      expectValidationError(await list(token, username, "from=2026-02-10T09:00:00"), "/from");
      expectValidationError(await list(token, username, "to=yesterday"), "/to");
      expectValidationError(await list(token, username, "from=2026-02-10T10:00:00Z&to=2026-02-10T10:00:00Z"), "/to");
      expectValidationError(await list(token, username, "from=2026-02-10T11:00:00Z&to=2026-02-10T10:00:00Z"), "/to");
    });

    it("keeps one category, named in any case; an unknown category gives an empty list", async () => {
      const { token, username, category } = await setUp();
      const other = await makeCategory(t, token);
      const a = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 08:00:00", end_time: "2026-02-10 09:00:00" });
      const b = await logEntry(t, token, { category: other.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      const c = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 10:00:00", end_time: "2026-02-10 11:00:00" });
      const ids = async (query: string) => (await list(token, username, query)).json<EntryListBody>().entries.map((entry) => entry.id);
      expect(await ids(`category=${encodeURIComponent(category.name.toUpperCase())}`)).toEqual([a.id, c.id]);
      expect(await ids(`category=${encodeURIComponent(other.name)}`)).toEqual([b.id]);
      expect(await ids(`category=${encodeURIComponent(category.name)}&from=2026-02-10T09:30:00Z`)).toEqual([c.id]);
      const unknown = await list(token, username, `category=${uniqueName("none")}`);
      expect(unknown.statusCode).toBe(200);
      expect(unknown.json()).toStrictEqual({ username, entries: [], next_cursor: null });
    });

    it("answers 400 naming an unknown query parameter", async () => {
      const { token, username } = await setUp();
      expectValidationError(await list(token, username, "sort=desc"), "/sort");
    });
  });

  describe("pages", () => {
    it("gives 100 entries per page by default and at most `limit`", async () => {
      const { token, username, category } = await setUp();
      for (let i = 0; i < 101; i++) {
        const start = new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString();
        await logEntry(t, token, { category: category.name, start_time: start, end_time: start.replace(":00:00.000Z", ":30:00Z") });
      }
      const first = (await list(token, username)).json<EntryListBody>();
      expect(first.entries).toHaveLength(100);
      expect(first.next_cursor).not.toBeNull();
      expect((await list(token, username, "limit=7")).json<EntryListBody>().entries).toHaveLength(7);
      expect((await list(token, username, "limit=1000")).json<EntryListBody>().entries).toHaveLength(101);
      const last = (await list(token, username, `cursor=${encodeURIComponent(first.next_cursor ?? "")}`)).json<EntryListBody>();
      expect(last.entries).toHaveLength(1);
      expect(last.next_cursor).toBeNull();
    });

    it.each(["0", "1001", "-1", "abc", "2.5", "1e2x"])("answers 400 for limit=%s", async (limit) => {
      const { token, username } = await setUp();
      expectValidationError(await list(token, username, `limit=${limit}`), "/limit");
    });

    it("walks every entry once, in order, even when entries are added and removed between pages", async () => {
      const { token, username, category } = await setUp();
      const made: EntryBody[] = [];
      for (let day = 1; day <= 10; day++) {
        const d = String(day).padStart(2, "0");
        made.push(await logEntry(t, token, { category: category.name, start_time: `2026-02-${d} 09:00:00`, end_time: `2026-02-${d} 10:00:00` }));
      }
      const seen: EntryBody[] = [];
      let res = await list(token, username, "limit=3");
      let page = res.json<EntryListBody>();
      seen.push(...page.entries);
      // Added after the first page: one after everything, one between pages still to come, one
      // before the cursor (which a keyset cursor rightly does not go back for).
      const late = await logEntry(t, token, { category: category.name, start_time: "2026-02-20 09:00:00", end_time: "2026-02-20 10:00:00" });
      const middle = await logEntry(t, token, { category: category.name, start_time: "2026-02-06 12:00:00", end_time: "2026-02-06 13:00:00" });
      await logEntry(t, token, { category: category.name, start_time: "2026-02-01 12:00:00", end_time: "2026-02-01 13:00:00" });
      let pages = 1;
      while (page.next_cursor !== null) {
        res = await list(token, username, `limit=3&cursor=${encodeURIComponent(page.next_cursor)}`);
        expect(res.statusCode, res.body).toBe(200);
        page = res.json<EntryListBody>();
        expect(page.entries.length).toBeLessThanOrEqual(3);
        seen.push(...page.entries);
        if (++pages === 2) {
          // Removing the last entry already seen must not make the next page skip one.
          const lastSeen = seen.at(-1) as EntryBody;
          expect((await t.request("DELETE", `/entry/${lastSeen.id}`, { token })).statusCode).toBe(204);
        }
      }
      const ids = seen.map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const entry of made) expect(ids).toContain(entry.id);
      expect(ids).toContain(late.id);
      expect(ids).toContain(middle.id);
      const starts = seen.map((entry) => entry.start_time);
      expect(starts).toEqual([...starts].sort());
    });

    it("keeps the filters across pages", async () => {
      const { token, username, category } = await setUp();
      const other = await makeCategory(t, token);
      const wanted: number[] = [];
      for (let day = 1; day <= 9; day++) {
        const d = String(day).padStart(2, "0");
        const entry = await logEntry(t, token, {
          category: day % 2 === 0 ? other.name : category.name,
          start_time: `2026-02-${d} 09:00:00`,
          end_time: `2026-02-${d} 10:00:00`,
        });
        if (day % 2 === 1 && day >= 3) wanted.push(entry.id);
      }
      const seen: number[] = [];
      const filter = `category=${encodeURIComponent(category.name)}&from=2026-02-03T00:00:00Z&limit=2`;
      let body = (await list(token, username, filter)).json<EntryListBody>();
      seen.push(...body.entries.map((entry) => entry.id));
      while (body.next_cursor !== null) {
        body = (await list(token, username, `${filter}&cursor=${encodeURIComponent(body.next_cursor)}`)).json<EntryListBody>();
        seen.push(...body.entries.map((entry) => entry.id));
      }
      expect(seen).toEqual(wanted);
    });

    it.each([
      ["garbage", "garbage"],
      ["base64 of an object", Buffer.from('{"id":1}').toString("base64url")],
      ["base64 of a short array", Buffer.from("[1]").toString("base64url")],
      ["base64 of strings", Buffer.from('["a","b"]').toString("base64url")],
      ["base64 of negative numbers", Buffer.from("[-1,-1]").toString("base64url")],
      ["base64 of fractions", Buffer.from("[1.5,2]").toString("base64url")],
      ["an overlong text", "A".repeat(5000)],
      // Well-formed numbers out of the stores' range: each once reached a driver as an Invalid Date.
      ["a start past any date (9e12 s)", Buffer.from("[9000000000000,1]").toString("base64url")],
      ["a start past year 9999", Buffer.from("[253402300800,1]").toString("base64url")],
      ["an id of 0", Buffer.from("[1770000000,0]").toString("base64url")],
      ["an id past INT UNSIGNED", Buffer.from("[1770000000,4294967296]").toString("base64url")],
    ])("answers 400 for a cursor that is %s", async (_label, cursor) => {
      const { token, username } = await setUp();
      expectValidationError(await list(token, username, `cursor=${encodeURIComponent(cursor)}`), "/cursor");
    });

    it.each([
      ["an id of 0", "[0]"],
      ["an id past INT UNSIGNED", "[4294967296]"],
      ["a huge id", "[9000000000000]"],
    ])("GET /users answers 400 for a cursor with %s", async (_label, json) => {
      const { token } = await setUp();
      const res = await t.request("GET", `/users?cursor=${Buffer.from(json).toString("base64url")}`, { token });
      expectValidationError(res, "/cursor");
    });

    it("answers 400 for a cursor of GET /users", async () => {
      const { token, username } = await setUp();
      for (let i = 0; i < 2; i++) await t.signUp();
      const users = (await t.request("GET", "/users?limit=1", { token })).json<{ next_cursor: string | null }>();
      expect(users.next_cursor).not.toBeNull();
      expectValidationError(await list(token, username, `cursor=${encodeURIComponent(users.next_cursor ?? "")}`), "/cursor");
    });
  });

  describe("CSV", () => {
    it("streams the header row and one row per entry with format=csv", async () => {
      const { token, username, category } = await setUp();
      const made = await fourHours(token, category.name);
      const res = await list(token, username, "format=csv");
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(String(res.headers["content-type"]).toLowerCase()).toContain("charset=utf-8");
      expect(res.headers["x-request-id"]).toBeTruthy();
      expect(res.body.split(/\r?\n/)[0]).toBe(CSV_HEADER);
      const rows = parseCsv(res.body);
      expect(rows[0]).toEqual(CSV_HEADER.split(","));
      expect(rows.slice(1)).toEqual(
        made.map((entry) => [
          String(entry.id),
          username,
          category.name,
          entry.start_time,
          entry.end_time ?? "",
          String(entry.duration_seconds),
          "",
          ...NO_BOOKING_CSV,
        ]),
      );
    });

    it("answers CSV for Accept: text/csv, and JSON for Accept: application/json", async () => {
      const { token, username, category } = await setUp();
      await fourHours(token, category.name);
      const csv = await t.request("GET", `/entries/${username}`, { token, headers: { accept: "text/csv" } });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
      expect(parseCsv(csv.body)).toHaveLength(5);
      const json = await t.request("GET", `/entries/${username}`, { token, headers: { accept: "application/json" } });
      expect(json.headers["content-type"]).toMatch(/^application\/json/);
      expect(json.json<EntryListBody>().entries).toHaveLength(4);
    });

    it("prefers JSON when the Accept header ranks text/csv lower or refuses it", async () => {
      const { token, username } = await setUp();
      for (const accept of ["text/csv;q=0.1, application/json", "application/json, text/csv;q=0.5", "text/csv;q=0, */*"]) {
        const res = await t.request("GET", `/entries/${username}`, { token, headers: { accept } });
        expect(res.headers["content-type"], accept).toMatch(/^application\/json/);
      }
    });

    it("leaves null fields empty: a running timer and a missing note", async () => {
      const { token, username, category } = await setUp();
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-03-01 10:00:00" });
      const rows = parseCsv((await list(token, username, "format=csv")).body);
      expect(rows[1]).toEqual([String(timer.id), username, category.name, "2026-03-01T10:00:00Z", "", "", "", ...NO_BOOKING_CSV]);
    });

    it("quotes commas, quotes and line breaks in notes and category names (RFC 4180), in UTF-8", async () => {
      const { token, username } = await setUp();
      const awkward = await makeCategory(t, token, `${uniqueName("Ops")}, "night" shift`);
      const notes = [
        'one, two and "three"',
        "first line\nsecond line",
        "windows\r\nline",
        "carriage\rreturn",
        "café 😀 שלום",
        '"',
        ",",
        "  padded  ",
      ];
      for (const [i, note] of notes.entries()) {
        const h = String(i).padStart(2, "0");
        await logEntry(t, token, { category: awkward.name, start_time: `2026-02-10 ${h}:00:00`, end_time: `2026-02-10 ${h}:30:00`, note });
      }
      const res = await list(token, username, "format=csv");
      expect(res.statusCode).toBe(200);
      const rows = parseCsv(res.body);
      expect(rows).toHaveLength(notes.length + 1);
      for (const [i, note] of notes.entries()) {
        const row = rows[i + 1] as string[];
        expect(row).toHaveLength(13);
        expect(row[2]).toBe(awkward.name);
        expect(row[6]).toBe(note);
      }
      // Quoted as RFC 4180 says: the whole field in quotes, inner quotes doubled.
      expect(res.body).toContain(`"${awkward.name.replaceAll('"', '""')}"`);
      expect(res.body).toContain('"one, two and ""three"""');
      expect(res.body).toContain('"first line\nsecond line"');
      // UTF-8 bytes, not another encoding.
      expect(res.rawPayload.includes(Buffer.from("café 😀 שלום", "utf8"))).toBe(true);
    });

    it("exports the whole filtered range, ignoring limit and cursor", async () => {
      const { token, username, category } = await setUp();
      const other = await makeCategory(t, token);
      for (let i = 0; i < 12; i++) {
        const h = String(i).padStart(2, "0");
        await logEntry(t, token, { category: i % 3 === 0 ? other.name : category.name, start_time: `2026-02-10 ${h}:00:00`, end_time: `2026-02-10 ${h}:30:00` });
      }
      expect(parseCsv((await list(token, username, "format=csv&limit=2")).body)).toHaveLength(13);
      const filtered = parseCsv((await list(token, username, `format=csv&category=${encodeURIComponent(other.name)}&from=2026-02-10T03:00:00Z&to=2026-02-10T09:00:01Z`)).body);
      expect(filtered.slice(1).map((row) => row[3])).toEqual(["2026-02-10T03:00:00Z", "2026-02-10T06:00:00Z", "2026-02-10T09:00:00Z"]);
      const none = await list(token, username, `format=csv&category=${uniqueName("none")}`);
      expect(none.statusCode).toBe(200);
      expect(parseCsv(none.body)).toEqual([CSV_HEADER.split(",")]);
    });

    it("answers 400 for format other than json or csv", async () => {
      const { token, username } = await setUp();
      expectValidationError(await list(token, username, "format=xml"), "/format");
    });
  });
});
