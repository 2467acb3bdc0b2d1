import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { allEntries, expectProblem, expectValidationError, makeCategory, type EntryBody, type ProblemBody } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/* API.md part 2, "Import and batches": POST /entries/batch. */

interface BatchResult {
  readonly status: number;
  readonly entry?: EntryBody;
  readonly problem?: ProblemBody;
}

describe("POST /entries/batch", () => {
  let t: TestApp;
  let category: string;

  beforeAll(async () => {
    t = await testApp();
    const owner = await t.owner();
    category = (await makeCategory(t, owner.token)).name;
  });
  afterAll(async () => {
    await t.close();
  });

  const hour = (h: number, minutes = 60) => ({
    category,
    start_time: `2025-03-01T${String(h).padStart(2, "0")}:00:00Z`,
    end_time: new Date(Date.UTC(2025, 2, 1, h) + minutes * 60_000).toISOString().replace(".000Z", "Z"),
  });
  const batch = (user: SignedIn, body: unknown) => t.request("POST", "/entries/batch", { token: user.token, body });
  const results = (res: { statusCode: number; body: string; json: <T>() => T }) => res.json<{ results: BatchResult[] }>().results;

  it("stores every item in order, one result each; items are checked against each other and stored entries", async () => {
    const user = await t.signUp();
    const first = await batch(user, { entries: [hour(8)] });
    expect(first.statusCode, first.body).toBe(200);
    const stored = results(first)[0]!.entry!;

    const res = await batch(user, {
      entries: [hour(9), { ...hour(9, 30), note: "clashes with the item before" }, hour(8), { ...hour(10), tags: ["Batch"], billable: true }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = results(res);
    expect(out.map((result) => result.status)).toEqual([201, 409, 409, 201]);
    expect(out[1]!.problem).toMatchObject({ code: "ENTRY_OVERLAP", status: 409 });
    expect(out[1]!.problem!.detail).toContain(`entry ${out[0]!.entry!.id}`);
    expect(out[2]!.problem!.detail).toContain(`entry ${stored.id}`);
    expect(out[3]!.entry).toMatchObject({ tags: ["Batch"], billable: true, username: user.username });
    const listed = await allEntries(t, user.token, user.username);
    expect(listed.map((entry) => entry.start_time)).toEqual([
      "2025-03-01T08:00:00Z",
      "2025-03-01T09:00:00Z",
      "2025-03-01T10:00:00Z",
    ]);
  });

  it("answers each item with the status POST /entry would: unknown category 404, bad time 400 pointing into the item, someone else 403, a second timer 409", async () => {
    const user = await t.signUp();
    const other = await t.signUp();
    const now = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const res = await batch(user, {
      entries: [
        { ...hour(11), category: uniqueName("missing") },
        { ...hour(12), start_time: "yesterday" },
        { ...hour(13), username: other.username },
        { category, start_time: now },
        { category, start_time: now },
        { ...hour(14), username: user.username.toUpperCase() },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = results(res);
    expect(out.map((result) => [result.status, result.problem?.code])).toEqual([
      [404, "CATEGORY_NOT_FOUND"],
      [400, "VALIDATION_FAILED"],
      [403, "FORBIDDEN"],
      [201, undefined],
      [409, "TIMER_ALREADY_RUNNING"],
      [201, undefined],
    ]);
    expect(out[1]!.problem!.errors).toEqual([{ path: "/entries/1/start_time", message: expect.any(String) }]);
    expect(await allEntries(t, other.token, other.username)).toEqual([]);
  });

  it("atomic: one failing item → 422 BATCH_FAILED with every item's result, and nothing stored", async () => {
    const user = await t.signUp();
    const res = await batch(user, { atomic: true, entries: [hour(9), hour(10), { ...hour(10, 30) }] });
    const body = expectProblem(res, 422, "BATCH_FAILED") as ProblemBody & { results: BatchResult[] };
    expect(body.results.map((result) => result.status)).toEqual([201, 201, 409]);
    expect(await allEntries(t, user.token, user.username)).toEqual([]);

    const ok = await batch(user, { atomic: true, entries: [hour(9), hour(10)] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await allEntries(t, user.token, user.username)).toHaveLength(2);
  });

  it("validates the body by its schema: at most 500 items, each a POST /entry body (unknown fields 400 with the item's pointer); an empty list is fine", async () => {
    const user = await t.signUp();
    expectValidationError(await batch(user, { entries: [{ ...hour(9), colour: "red" }] }), "/entries/0/colour");
    expectValidationError(await batch(user, { entries: Array.from({ length: 501 }, () => hour(9)) }), "/entries");
    expectValidationError(await batch(user, { entries: [], extra: 1 }), "/extra");
    const empty = await batch(user, { entries: [] });
    expect(empty.json()).toEqual({ results: [] });
  });

  it("takes bodies over 16 KiB up to 1 MiB on this route only: 500 items with long notes are stored, more than 1 MiB is 413", async () => {
    const user = await t.signUp();
    const note = "n".repeat(500);
    const entries = Array.from({ length: 500 }, (_, i) => ({
      category,
      start_time: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace(".000Z", "Z"),
      end_time: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000 + 1_800_000).toISOString().replace(".000Z", "Z"),
      note,
    }));
    const res = await batch(user, { entries });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(results(res).every((result) => result.status === 201)).toBe(true);
    const huge = await batch(user, { entries: entries.map((entry) => ({ ...entry, tags: ["t".repeat(1000), "u".repeat(1000)] })) });
    expectProblem(huge, 413, "PAYLOAD_TOO_LARGE");
    // Other routes keep the 16 KiB limit.
    const big = await t.request("POST", "/entry", { token: user.token, body: { ...hour(9), note: "x".repeat(17 * 1024) } });
    expectProblem(big, 413, "PAYLOAD_TOO_LARGE");
  });

  it("race: two batches at once with overlapping items store one of each clashing pair", async () => {
    const user = await t.signUp();
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => batch(user, { entries: [hour(15), hour(16), hour(17)] })),
    );
    const statuses = responses.flatMap((res) => results(res).map((result) => result.status));
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
    expect(await allEntries(t, user.token, user.username)).toHaveLength(3);
  });
});
