import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { allEntries, expectProblem, expectValidationError, type EntryBody } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/* API.md part 2, "Import and batches": POST /imports with a text/csv body. */

interface Report {
  format: string;
  dry_run: boolean;
  rows: number;
  created: number;
  duplicates: number;
  failed: number;
  errors: { row: number; message: string }[];
  warnings: { row: number; message: string }[];
  created_categories: string[];
  created_projects: string[];
  created_tags: string[];
}

/** An entry with the fields part 2 added. */
type FullEntry = EntryBody & { project: string | null; client: string | null; tags: string[]; billable: boolean };
const fullEntries = (entries: EntryBody[]) => entries as FullEntry[];

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "imports", `${name}.csv`), "utf8");

describe("POST /imports", () => {
  let t: TestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await testApp();
    owner = await t.owner();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (user: SignedIn, csv: string | Buffer | Readable, query = "") =>
    t.app.inject({
      method: "POST",
      url: `/imports${query}`,
      headers: { authorization: `Bearer ${user.token}`, "content-type": "text/csv" },
      payload: csv,
    });
  const imported = async (user: SignedIn, csv: string, query = "") => {
    const res = await post(user, csv, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Report>();
  };
  /** A fresh admin: the owner makes one, so each test has its own entries. */
  const freshAdmin = async () => {
    const user = await t.signUp();
    await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { role: "admin" } });
    return user;
  };
  const times = (entries: EntryBody[]) => entries.map((entry) => [entry.start_time, entry.end_time]);

  it("time-tracker: the service's own export (13 columns), detected; quoted commas and line breaks stay in one field; ids are ignored", async () => {
    const admin = await freshAdmin();
    const report = await imported(admin, fixture("time-tracker"));
    expect(report).toMatchObject({ format: "time-tracker", dry_run: false, rows: 2, created: 2, duplicates: 0, failed: 0 });
    const entries = fullEntries(await allEntries(t, admin.token, admin.username));
    expect(entries.map((entry) => [entry.category, entry.start_time, entry.end_time, entry.note, entry.tags, entry.project, entry.client, entry.billable])).toEqual([
      ["Work", "2026-02-10T08:00:00Z", "2026-02-10T09:30:00Z", "Standup, then review", ["deep", "review"], null, null, false],
      ["Meetings", "2026-02-10T10:00:00Z", "2026-02-10T10:45:00Z", "Planning\nfor the next sprint", [], "Website", "Acme", true],
    ]);
    expect(entries.map((entry) => entry.id)).not.toContain(17);
  });

  it("time-tracker with the seven seed columns; a username other than the caller's fails the row", async () => {
    const user = await t.signUp();
    const csv =
      "id,username,category,start_time,end_time,duration_seconds,note\n" +
      `1,${user.username},Work,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,3600,\n` +
      "2,someone-else,Work,2026-01-05T11:00:00Z,2026-01-05T12:00:00Z,3600,\n" +
      "3,,Work,2026-01-05T13:00:00Z,,,\n";
    const report = await imported(user, csv);
    expect(report).toMatchObject({ format: "time-tracker", rows: 3, created: 1, failed: 2 });
    expect(report.errors.map((error) => error.row)).toEqual([3, 4]);
    expect(report.errors[0]!.message).toMatch(/username/);
    expect(report.errors[1]!.message).toMatch(/running timer/);
  });

  it("seed-app: the seed's template, MM/DD/YYYY HH:MM in tz; the category column is used", async () => {
    const user = await t.signUp();
    const report = await imported(user, fixture("seed-app"), "?tz=America/New_York");
    expect(report).toMatchObject({ format: "seed-app", rows: 2, created: 2, failed: 0 });
    const entries = await allEntries(t, user.token, user.username);
    expect(entries.map((entry) => [entry.category, entry.start_time, entry.end_time])).toEqual([
      ["Study", "2026-02-10T14:00:00Z", "2026-02-10T15:30:00Z"],
      ["Work", "2026-02-11T04:30:00Z", "2026-02-11T06:00:00Z"],
    ]);
  });

  it("toggl: an admin's import creates the project and client, tags, billable, the note; the category parameter", async () => {
    const admin = await freshAdmin();
    const category = uniqueName("Toggl");
    const client = uniqueName("Client");
    const csv = fixture("toggl").replaceAll("Acme", client);
    const report = await imported(admin, csv, `?tz=Europe/Berlin&category=${category}`);
    expect(report).toMatchObject({ format: "toggl", rows: 2, created: 2, failed: 0, created_categories: [category] });
    expect(report.created_projects.sort()).toEqual(["Internal", "Website"].filter((name) => name !== "Internal" || report.created_projects.includes("Internal")));
    const entries = fullEntries(await allEntries(t, admin.token, admin.username));
    expect(entries.map((entry) => [entry.category, entry.start_time, entry.end_time, entry.note, entry.project, entry.client, entry.tags, entry.billable])).toEqual([
      [category, "2026-02-10T08:00:00Z", "2026-02-10T09:30:00Z", "Homepage layout", "Website", client, ["client", "design"], true],
      [category, "2026-02-10T10:00:00Z", "2026-02-10T10:15:00Z", "Inbox", "Internal", null, [], false],
    ]);
  });

  it("clockify: 12-hour and 24-hour times; a member's import leaves out projects that do not exist, with a warning per row", async () => {
    const member = await t.signUp();
    const project = uniqueName("Proj");
    const report = await imported(member, fixture("clockify").replaceAll("Website", project), "?tz=Europe/Berlin");
    expect(report).toMatchObject({ format: "clockify", rows: 2, created: 2, failed: 0, created_projects: [] });
    expect(report.warnings.map((warning) => warning.row)).toContain(2);
    expect(report.warnings.find((warning) => warning.row === 2)!.message).toMatch(/only admins create projects/);
    const entries = fullEntries(await allEntries(t, member.token, member.username));
    expect(entries.map((entry) => [entry.category, entry.start_time, entry.end_time, entry.project, entry.tags])).toEqual([
      ["Imported", "2026-02-10T08:00:00Z", "2026-02-10T09:30:00Z", null, ["client", "design"]],
      ["Imported", "2026-02-10T12:00:00Z", "2026-02-10T12:15:00Z", expect.toSatisfy((name) => name === null || name === "Internal"), []],
    ]);
  });

  it("format: a named format must match the header (400); an unknown header is 400; a header alone is rows 0; a BOM is allowed", async () => {
    const user = await t.signUp();
    expectValidationError(await post(user, fixture("seed-app"), "?format=toggl"), "/format");
    expectValidationError(await post(user, "a,b,c\n1,2,3\n"), "/format");
    expectValidationError(await post(user, ""), "/body");
    const headerOnly = await imported(user, "category,start_date,start_time,end_date,end_time\r\n");
    expect(headerOnly).toMatchObject({ format: "seed-app", rows: 0, created: 0 });
    const bom = await imported(user, `\uFEFF${fixture("seed-app")}`, "?format=seed-app");
    expect(bom).toMatchObject({ format: "seed-app", rows: 2, created: 2 });
    expectValidationError(await post(user, fixture("seed-app"), "?tz=Mars/Olympus"), "/tz");
    expectValidationError(await post(user, fixture("seed-app"), "?format=excel"), "/format");
  });

  it("only text/csv is read (415 for JSON)", async () => {
    const user = await t.signUp();
    const res = await t.request("POST", "/imports", { token: user.token, body: { rows: [] } });
    expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("importing one file twice creates nothing the second time: its rows are duplicates", async () => {
    const user = await t.signUp();
    const csv = fixture("seed-app");
    expect(await imported(user, csv)).toMatchObject({ created: 2, duplicates: 0 });
    expect(await imported(user, csv)).toMatchObject({ created: 0, duplicates: 2, failed: 0 });
    // Same times in another category: not a duplicate, an overlap.
    const other = await imported(user, csv.replace("Study", "Reading"));
    expect(other).toMatchObject({ created: 0, duplicates: 1, failed: 1 });
    expect(other.errors[0]!.message).toMatch(/overlaps/);
    expect(await allEntries(t, user.token, user.username)).toHaveLength(2);
  });

  it("dry_run answers the same numbers and stores nothing (no entry, category or tag)", async () => {
    const user = await t.signUp();
    const category = uniqueName("Dry");
    const tag = uniqueName("drytag");
    const csv = `${fixture("toggl").replace('"design, client"', `"${tag}"`)}`;
    const dry = await imported(user, csv, `?dry_run=true&category=${category}&tz=Europe/Berlin`);
    expect(dry).toMatchObject({ dry_run: true, rows: 2, created: 2, created_categories: [category], created_tags: [tag] });
    expect(await allEntries(t, user.token, user.username)).toEqual([]);
    const categories = (await t.request("GET", "/category", { token: user.token })).json<{ categories: { name: string }[] }>();
    expect(categories.categories.map((c) => c.name)).not.toContain(category);
    const tags = (await t.request("GET", "/tags", { token: user.token })).json<{ tags: { name: string }[] }>();
    expect(tags.tags.map((c) => c.name)).not.toContain(tag);
    const real = await imported(user, csv, `?category=${category}&tz=Europe/Berlin`);
    expect({ ...real, dry_run: true }).toEqual(dry);
  });

  it("atomic: a failing row → 422 BATCH_FAILED with the report, nothing stored; partial by default", async () => {
    const user = await t.signUp();
    const csv = `${fixture("seed-app")}Work,13/45/2026,09:00,02/12/2026,10:00\n`;
    const res = await post(user, csv, "?atomic=true");
    const body = expectProblem(res, 422, "BATCH_FAILED") as unknown as Report;
    expect(body).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(body.errors.map((error) => error.row)).toEqual([4]);
    expect(await allEntries(t, user.token, user.username)).toEqual([]);
    expect(await imported(user, csv)).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(await allEntries(t, user.token, user.username)).toHaveLength(2);
  });

  it("daylight saving in tz: a skipped local time fails its row; a repeated one is the earlier instant", async () => {
    const user = await t.signUp();
    const csv =
      "category,start_date,start_time,end_date,end_time\n" +
      "Work,03/29/2026,02:30,03/29/2026,03:30\n" + // Berlin skips 02:00-03:00 that night
      "Work,10/25/2026,02:30,10/25/2026,03:30\n"; // and has 02:00-03:00 twice in October
    const report = await imported(user, csv, "?tz=Europe/Berlin");
    expect(report).toMatchObject({ rows: 2, created: 1, failed: 1 });
    expect(report.errors).toEqual([{ row: 2, message: expect.stringMatching(/does not exist in Europe\/Berlin/) }]);
    expect(times(await allEntries(t, user.token, user.username))).toEqual([["2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z"]]);
  });

  it("names the cell a date or a time could not be read from", async () => {
    const user = await t.signUp();
    const csv =
      "category,start_date,start_time,end_date,end_time\n" +
      "Work,2026-03-02,09:00,03/02/2026,10:00\n" + // a start date not written MM/DD/YYYY
      "Work,03/02/2026,9 o'clock,03/02/2026,10:00\n" + // a start time that is not one
      "Work,03/03/2026,09:00,03/03/2026,13:00 PM\n"; // 13 PM
    const report = await imported(user, csv, "?tz=UTC");
    expect(report.errors).toEqual([
      { row: 2, message: "start_date '2026-03-02' must be written MM/DD/YYYY" },
      { row: 3, message: "start_time '9 o'clock' must be written HH:MM, HH:MM:SS or hh:mm:ss AM/PM" },
      { row: 4, message: "end_time '13:00 PM' is not a time" },
    ]);
  });

  it("bad rows fail alone, numbered with the header as row 1 and a quoted multi-line field as one record", async () => {
    const user = await t.signUp();
    const csv =
      "id,username,category,start_time,end_time,duration_seconds,note\n" +
      ',,Work,2026-04-01T09:00:00Z,2026-04-01T10:00:00Z,,"line one\nline two\nline three"\n' + // row 2
      ",,Work,2026-04-01T11:00:00Z,2026-04-01T10:00:00Z,,\n" + // row 3: ends before it starts
      ",,Work,2026-04-02T09:00:00Z,2026-04-03T10:00:00Z,,\n" + // row 4: 25 hours
      ",,Work,not a time,2026-04-01T10:00:00Z,,\n" + // row 5
      `,,${"x".repeat(101)},2026-04-04T09:00:00Z,2026-04-04T10:00:00Z,,\n` + // row 6: category name too long
      ",,Work,2026-04-01T09:30:00Z,2026-04-01T10:30:00Z,,\n" + // row 7: overlaps row 2
      ",,Work,2026-04-05T09:00:00Z,2026-04-05T10:00:00Z,,\n"; // row 8
    const report = await imported(user, csv);
    expect(report).toMatchObject({ rows: 7, created: 2, failed: 5 });
    expect(report.errors.map((error) => error.row)).toEqual([3, 4, 5, 6, 7]);
    const entries = await allEntries(t, user.token, user.username);
    expect(entries.map((entry) => entry.note)).toEqual(["line one\nline two\nline three", null]);
  });

  it("a body over 20 MB is 413, whether it says its length or not", async () => {
    const user = await t.signUp();
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, "a");
    expectProblem(await post(user, big), 413, "PAYLOAD_TOO_LARGE");
    const header = "category,start_date,start_time,end_date,end_time\n";
    // Without a content-length (a stream): counted as it arrives. Blank lines cost the parser nothing.
    const blank = "\n".repeat(64 * 1024);
    const streamed = Readable.from(
      (function* () {
        yield header;
        for (let sent = header.length; sent <= 20 * 1024 * 1024; sent += blank.length) yield blank;
      })(),
    );
    expectProblem(await post(user, streamed, "?dry_run=true"), 413, "PAYLOAD_TOO_LARGE");
  });

  it("memory stays flat: 15,000 generated rows (8 MB) stream through without the heap growing with the file", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const user = await t.signUp();
    const ROWS = 15_000;
    const note = "n".repeat(480);
    let bytes = 0;
    let peak = 0;
    const rows = function* () {
      const header = "id,username,category,start_time,end_time,duration_seconds,note\n";
      bytes += header.length;
      yield header;
      const base = Date.UTC(2010, 0, 1);
      for (let i = 0; i < ROWS; i++) {
        // Sampled (live objects only) as the import asks for more of the file: what it holds while it works.
        if (i % 1500 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
        const start = new Date(base + i * 3_600_000).toISOString().replace(".000Z", "Z");
        // One row in ten is stored; the others end before they start and fail (their errors capped).
        const end = new Date(base + i * 3_600_000 + (i % 10 === 0 ? 1_800_000 : -1000)).toISOString().replace(".000Z", "Z");
        const line = `,,Bulk,${start},${end},1800,${note}\n`;
        bytes += line.length;
        yield line;
      }
    };
    gc();
    const before = process.memoryUsage().heapUsed;
    const res = await post(user, Readable.from(rows()), "?dry_run=true");
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const report = res.json<Report>();
    expect(report).toMatchObject({ rows: ROWS, created: ROWS / 10, failed: (ROWS * 9) / 10 });
    expect(report.errors).toHaveLength(1000);
    // The file is ~8 MB: held whole it would grow the heap by at least its size.
    expect(bytes).toBeGreaterThan(7.5 * 1024 * 1024);
    expect(peak - before).toBeLessThan(bytes / 4);
  }, 60_000);
});
