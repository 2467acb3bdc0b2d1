import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, makeCategory, type EntryBody } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/*
 * The routes the seed author's later web app (next-version/ of murilo-preto/portfolio) calls, in
 * the shapes it sends and reads; deprecated, but every rule of the API holds on them.
 */

interface SeedEntry {
  readonly id: number;
  readonly category: string;
  readonly start_time: string;
  readonly end_time: string | null;
  readonly duration_seconds: number | null;
}

/** A problem with the `error` member the seed app shows: the detail again. */
function expectSeedProblem(res: LightMyRequestResponse, status: number, code: string) {
  const problem = expectProblem(res, status, code);
  const body = res.json<{ error?: string; detail?: string; title: string }>();
  expect(body.error, res.body).toBe(body.detail ?? body.title);
  expect(body.error).not.toBe("");
  return problem;
}

describe("the seed app's compatibility routes", () => {
  let t: TestApp;
  let hour = 0;
  /** An hour of 2025 no other test of this file uses. */
  const slot = (minutes = 60) => {
    const start = Date.UTC(2025, 0, 1) + ++hour * 2 * 3_600_000;
    return {
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + minutes * 60_000).toISOString(),
    };
  };
  const utc = (iso: string) => iso.replace(".000Z", "Z");
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const entries = async (user: SignedIn | string) => {
    const res = await t.request("GET", "/entry", { token: typeof user === "string" ? user : user.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ username: string; entries: SeedEntry[] }>();
  };

  it("POST /login also answers access_token, the same token", async () => {
    const ann = await t.signUp();
    const res = await t.request("POST", "/login", { body: { username: ann.username, password: PASSWORD } });
    const body = res.json<{ token: string; access_token: string }>();
    expect(body.access_token).toBe(body.token);
    expect((await t.request("GET", "/protected", { token: body.access_token })).statusCode).toBe(200);
  });

  it("a failed login carries error for the app to show", async () => {
    const res = await t.request("POST", "/login", { body: { username: uniqueName("nobody"), password: "x" } });
    expectProblem(res, 401, "INVALID_CREDENTIALS");
  });

  it("GET /protected → {message, user}; 401 with error without a token", async () => {
    const ann = await t.signUp();
    const res = await t.request("GET", "/protected", { token: ann.token });
    expect(res.json()).toEqual({ message: expect.any(String), user: ann.username });
    expectSeedProblem(await t.request("GET", "/protected"), 401, "UNAUTHENTICATED");
    expectSeedProblem(await t.request("GET", "/protected", { token: "tt_unknown" }), 401, "UNAUTHENTICATED");
  });

  it("POST /category, which the app's category panel calls without a token: 401 with error; with a token 201, then 200", async () => {
    const name = uniqueName("Panel");
    expectSeedProblem(await t.request("POST", "/category", { body: { name } }), 401, "UNAUTHENTICATED");
    const ann = await t.signUp();
    expect((await t.request("GET", "/get/categories")).json<{ categories: { name: string }[] }>().categories).not.toContainEqual(
      expect.objectContaining({ name }),
    );
    expectSeedProblem(await t.request("POST", "/category", { token: ann.token, body: { name: "" } }), 400, "VALIDATION_FAILED");
    expect((await t.request("POST", "/category", { token: ann.token, body: { name } })).statusCode).toBe(201);
    const again = await t.request("POST", "/category", { token: ann.token, body: { name: name.toUpperCase() } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ message: "Category already exists", category: { id: expect.any(Number), name } });
  });

  it("GET /get/categories needs no token → {categories}", async () => {
    const ann = await t.signUp();
    const category = await makeCategory(t, ann.token);
    const res = await t.request("GET", "/get/categories");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ categories: unknown[] }>().categories).toContainEqual({ id: category.id, name: category.name });
    expect(res.json()).toEqual((await t.request("GET", "/category", { token: ann.token })).json());
  });

  it("POST /entry/create logs an entry (201 {message, entry}); GET /entry lists the caller's, oldest first", async () => {
    const [ann, bob] = [await t.signUp(), await t.signUp()];
    const category = await makeCategory(t, ann.token);
    const later = slot(90);
    const earlier = { start_time: "2024-12-31T10:00:00+01:00", end_time: "2024-12-31T10:30:00+01:00" };
    const created = await t.request("POST", "/entry/create", { token: ann.token, body: { category: category.name, ...later } });
    expect(created.statusCode, created.body).toBe(201);
    const entry = created.json<{ message: string; entry: EntryBody }>();
    expect(entry.message).toBe("Time entry created successfully");
    expect(entry.entry).toMatchObject({ category: category.name, start_time: utc(later.start_time), duration_seconds: 5400 });
    // The manage page names the user too: allowed when it is the caller.
    const named = await t.request("POST", "/entry/create", {
      token: ann.token,
      body: { username: ann.username.toUpperCase(), category: category.name, ...earlier },
    });
    expect(named.statusCode, named.body).toBe(201);
    expectSeedProblem(
      await t.request("POST", "/entry/create", { token: ann.token, body: { username: bob.username, category: category.name, ...slot() } }),
      403,
      "FORBIDDEN",
    );
    const listed = await entries(ann);
    expect(listed).toEqual({
      username: ann.username,
      entries: [
        { id: named.json().entry.id, category: category.name, start_time: "2024-12-31T09:00:00Z", end_time: "2024-12-31T09:30:00Z", duration_seconds: 1800 },
        { id: entry.entry.id, category: category.name, start_time: utc(later.start_time), end_time: utc(later.end_time), duration_seconds: 5400 },
      ],
    });
    expect(await entries(bob)).toEqual({ username: bob.username, entries: [] });
  });

  it("POST /entry/create keeps the rules: overlap 409, over 24 h 422, end before start 400, unknown category 404, all with error", async () => {
    const ann = await t.signUp();
    const category = await makeCategory(t, ann.token);
    const times = slot();
    const create = (body: object) => t.request("POST", "/entry/create", { token: ann.token, body: { category: category.name, ...body } });
    expect((await create(times)).statusCode).toBe(201);
    const overlap = expectSeedProblem(await create(times), 409, "ENTRY_OVERLAP");
    expect(overlap.detail).toContain("overlaps");
    expectSeedProblem(await create({ start_time: "2025-06-01T00:00:00Z", end_time: "2025-06-02T00:00:01Z" }), 422, "ENTRY_TOO_LONG");
    expectSeedProblem(await create({ start_time: "2025-06-01T10:00:00Z", end_time: "2025-06-01T09:00:00Z" }), 400, "VALIDATION_FAILED");
    expectSeedProblem(await create({ start_time: "2025-06-01T10:00:00", end_time: "2025-06-01T11:00:00" }), 400, "VALIDATION_FAILED");
    expectSeedProblem(
      await t.request("POST", "/entry/create", { token: ann.token, body: { category: uniqueName("none"), ...slot() } }),
      404,
      "CATEGORY_NOT_FOUND",
    );
    const unknownField = expectSeedProblem(await create({ ...slot(), note: "x" }), 400, "VALIDATION_FAILED");
    expect(unknownField.errors).toContainEqual({ path: "/note", message: "is not a known field" });
    expectSeedProblem(await t.request("POST", "/entry/create", { token: ann.token, body: "{" , headers: { "content-type": "application/json" } }), 400, "MALFORMED_JSON");
    expect((await entries(ann)).entries).toHaveLength(1);
  });

  it("PUT /entry/{id} replaces category and times (200 {message, id}); the rules and ownership hold", async () => {
    const [ann, bob] = [await t.signUp(), await t.signUp()];
    const [work, play] = [await makeCategory(t, ann.token), await makeCategory(t, ann.token)];
    const first = slot();
    const second = slot();
    const a = (await t.request("POST", "/entry/create", { token: ann.token, body: { category: work.name, ...first } })).json().entry.id;
    await t.request("POST", "/entry/create", { token: ann.token, body: { category: work.name, ...second } });
    const moved = { category: play.name, start_time: first.start_time, end_time: new Date(Date.parse(first.start_time) + 1_800_000).toISOString() };
    const res = await t.request("PUT", `/entry/${a}`, { token: ann.token, body: moved });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: expect.any(String), id: a });
    expect((await entries(ann)).entries[0]).toMatchObject({ id: a, category: play.name, duration_seconds: 1800 });
    expectSeedProblem(await t.request("PUT", `/entry/${a}`, { token: ann.token, body: { ...moved, ...second } }), 409, "ENTRY_OVERLAP");
    expectSeedProblem(await t.request("PUT", `/entry/${a}`, { token: bob.token, body: moved }), 404, "ENTRY_NOT_FOUND");
    expectSeedProblem(await t.request("PUT", `/entry/0`, { token: ann.token, body: moved }), 404, "ENTRY_NOT_FOUND");
    expectSeedProblem(await t.request("PUT", `/entry/abc`, { token: ann.token, body: moved }), 404, "ENTRY_NOT_FOUND");
    expectSeedProblem(await t.request("PUT", `/entry/${a}`, { token: ann.token, body: { category: play.name } }), 400, "VALIDATION_FAILED");
    expect((await entries(ann)).entries[0]).toMatchObject({ id: a, category: play.name, duration_seconds: 1800 });
  });

  it("DELETE /entry/delete {entry_id} → 200 {message}; someone else's or no entry is 404 ENTRY_NOT_FOUND", async () => {
    const [ann, bob] = [await t.signUp(), await t.signUp()];
    const category = await makeCategory(t, ann.token);
    const id = (await t.request("POST", "/entry/create", { token: ann.token, body: { category: category.name, ...slot() } })).json().entry.id;
    const remove = (token: string, entry_id: unknown) => t.request("DELETE", "/entry/delete", { token, body: { entry_id } });
    expectSeedProblem(await remove(bob.token, id), 404, "ENTRY_NOT_FOUND");
    for (const bad of [0, -1, 99_999_999_999]) expectSeedProblem(await remove(ann.token, bad), 404, "ENTRY_NOT_FOUND");
    expectSeedProblem(await remove(ann.token, "x"), 400, "VALIDATION_FAILED");
    const res = await remove(ann.token, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: expect.any(String) });
    expect((await entries(ann)).entries).toEqual([]);
    expectSeedProblem(await remove(ann.token, id), 404, "ENTRY_NOT_FOUND");
  });

  it("POST /entry/batch-import stores what it can, creates unknown categories, and names each failure by index", async () => {
    const ann = await t.signUp();
    const known = await makeCategory(t, ann.token);
    const fresh = uniqueName("Imported");
    const [a, b, c] = [slot(), slot(), slot()];
    const res = await t.request("POST", "/entry/batch-import", {
      token: ann.token,
      body: {
        entries: [
          { category: known.name, ...a },
          // The CSV page sends its own row id and a duration: both ignored.
          { id: "parsed-1", duration_seconds: 3600, category: fresh, ...b },
          { category: fresh, ...b },
          { category: known.name, start_time: c.end_time, end_time: c.start_time },
          { category: known.name, start_time: "2025-07-01T00:00:00Z", end_time: "2025-07-02T01:00:00Z" },
          { category: fresh.toUpperCase(), ...c },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{ success: number; failed: number; errors: { index: number; error: string }[] }>();
    expect(result).toMatchObject({ success: 3, failed: 3 });
    expect(result.errors.map((error) => error.index)).toEqual([2, 3, 4]);
    expect(result.errors[0]?.error).toContain("overlaps");
    const categories = (await t.request("GET", "/get/categories")).json<{ categories: { name: string }[] }>().categories;
    expect(categories.filter((category) => category.name.toLowerCase() === fresh.toLowerCase())).toEqual([
      expect.objectContaining({ name: fresh }),
    ]);
    expect((await entries(ann)).entries.map((entry) => [entry.category, entry.start_time])).toEqual([
      [known.name, utc(a.start_time)],
      [fresh, utc(b.start_time)],
      [fresh, utc(c.start_time)],
    ]);
  });

  it("POST /entry/batch-import refuses a malformed body whole (400 with error) and takes more than 16 KiB", async () => {
    const ann = await t.signUp();
    const category = await makeCategory(t, ann.token);
    expectSeedProblem(await t.request("POST", "/entry/batch-import", { token: ann.token, body: { entries: [{ category: category.name }] } }), 400, "VALIDATION_FAILED");
    expectSeedProblem(await t.request("POST", "/entry/batch-import", { token: ann.token, body: {} }), 400, "VALIDATION_FAILED");
    const many = Array.from({ length: 300 }, (_, i) => {
      const start = Date.UTC(2023, 0, 1) + i * 3_600_000;
      return { category: category.name, start_time: new Date(start).toISOString(), end_time: new Date(start + 1_800_000).toISOString() };
    });
    expect(JSON.stringify({ entries: many }).length).toBeGreaterThan(16 * 1024);
    const res = await t.request("POST", "/entry/batch-import", { token: ann.token, body: { entries: many } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ success: 300, failed: 0, errors: [] });
  });

  it("works with an API token: a write token writes, a read token reads but gets 403 INSUFFICIENT_SCOPE (with error)", async () => {
    const ann = await t.signUp();
    const category = await makeCategory(t, ann.token);
    const token = async (scope: "read" | "write") =>
      (await t.request("POST", "/tokens", { token: ann.token, body: { name: scope, scope } })).json<{ secret: string }>().secret;
    const [reader, writer] = [await token("read"), await token("write")];
    expect((await t.request("GET", "/protected", { token: reader })).json()).toMatchObject({ user: ann.username });
    const body = { category: category.name, ...slot() };
    expectSeedProblem(await t.request("POST", "/entry/create", { token: reader, body }), 403, "INSUFFICIENT_SCOPE");
    expectSeedProblem(await t.request("POST", "/entry/batch-import", { token: reader, body: { entries: [body] } }), 403, "INSUFFICIENT_SCOPE");
    const created = await t.request("POST", "/entry/create", { token: writer, body });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().entry.id;
    expectSeedProblem(await t.request("DELETE", "/entry/delete", { token: reader, body: { entry_id: id } }), 403, "INSUFFICIENT_SCOPE");
    expect((await entries(reader)).entries.map((entry) => entry.id)).toEqual([id]);
    expect((await t.request("DELETE", "/entry/delete", { token: writer, body: { entry_id: id } })).statusCode).toBe(200);
  });

  it("marks every one of these routes deprecated in /openapi.json", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json<{ paths: Record<string, Record<string, { deprecated?: boolean }>> }>();
    const ops = [
      ["/get/categories", "get"],
      ["/protected", "get"],
      ["/entry", "get"],
      ["/entry/create", "post"],
      ["/entry/{id}", "put"],
      ["/entry/delete", "delete"],
      ["/entry/batch-import", "post"],
    ] as const;
    for (const [path, method] of ops) expect(doc.paths[path]?.[method]?.deprecated, `${method} ${path}`).toBe(true);
    expect(doc.paths["/entry/{id}"]?.patch?.deprecated).toBeUndefined();
  });
});
