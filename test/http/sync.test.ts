import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, makeCategory, type EntryBody } from "../support/http-expect.js";

interface Change {
  op: "upsert" | "delete";
  entry?: EntryBody;
  id?: number;
}
interface Page {
  changes: Change[];
  next_cursor: string;
  has_more: boolean;
}

/** API.md "Incremental sync": GET /sync/entries. */
describe("GET /sync/entries", () => {
  let t: TestApp;
  let category: string;
  let hour = 0;

  beforeAll(async () => {
    t = await testApp();
    const owner = await t.owner();
    category = (await makeCategory(t, owner.token)).name;
  });
  afterAll(() => t.close());

  const slot = () => {
    const start = Date.UTC(2024, 0, 1) + ++hour * 3_600_000;
    return { start_time: new Date(start).toISOString(), end_time: new Date(start + 1_800_000).toISOString() };
  };
  const log = async (user: SignedIn) => {
    const res = await t.request("POST", "/entry", { token: user.token, body: { category, ...slot() } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ entry: EntryBody }>().entry;
  };
  const page = async (user: SignedIn, query = "") => {
    const res = await t.request("GET", `/sync/entries${query}`, { token: user.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  /** Follows next_cursor until has_more is false; returns every change and the last cursor. */
  const drain = async (user: SignedIn, cursor: string | null, limit = 500) => {
    const changes: Change[] = [];
    for (;;) {
      const body = await page(user, `?limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`);
      changes.push(...body.changes);
      cursor = body.next_cursor;
      if (!body.has_more) return { changes, cursor };
    }
  };

  it("starts with every current entry as an upsert, then gives only what changed since, deletions as tombstones", async () => {
    const ann = await t.signUp();
    const [a, b, c] = [await log(ann), await log(ann), await log(ann)];
    const first = await drain(ann, null);
    expect(first.changes).toEqual([a, b, c].map((entry) => ({ op: "upsert", entry })));

    expect((await drain(ann, first.cursor)).changes).toEqual([]);
    const patched = await t.request("PATCH", `/entry/${b.id}`, { token: ann.token, body: { note: "later" } });
    expect(patched.statusCode).toBe(200);
    expect((await t.request("DELETE", `/entry/${a.id}`, { token: ann.token })).statusCode).toBe(204);
    const d = await log(ann);
    const second = await drain(ann, first.cursor);
    expect(second.changes).toEqual([
      { op: "upsert", entry: patched.json<{ entry: EntryBody }>().entry },
      { op: "delete", id: a.id },
      { op: "upsert", entry: d },
    ]);
  });

  it("shows an entry changed several times once, in its latest state, at the place of its latest change", async () => {
    const bob = await t.signUp();
    const a = await log(bob);
    const { cursor } = await drain(bob, null);
    const b = await log(bob);
    for (const note of ["one", "two", "three"]) {
      expect((await t.request("PATCH", `/entry/${a.id}`, { token: bob.token, body: { note } })).statusCode).toBe(200);
    }
    const { changes } = await drain(bob, cursor);
    expect(changes.map((change) => [change.entry?.id, change.entry?.note])).toEqual([
      [b.id, null],
      [a.id, "three"],
    ]);
  });

  it("records timers started and stopped, pages by limit with has_more, and sees only the caller's own entries", async () => {
    const cat = await t.signUp();
    const other = await t.signUp();
    await log(other);
    const started = await t.request("POST", "/entry", {
      token: cat.token,
      body: { category, start_time: new Date(Date.now() - 3_600_000).toISOString() },
    });
    const timer = started.json<{ entry: EntryBody }>().entry;
    await log(cat);
    await log(cat);
    const stopped = await t.request("POST", `/entry/${timer.id}/stop`, { token: cat.token, body: {} });
    expect(stopped.statusCode).toBe(200);
    const firstPage = await page(cat, "?limit=2");
    expect(firstPage.changes).toHaveLength(2);
    expect(firstPage.has_more).toBe(true);
    const all = await drain(cat, null, 2);
    expect(all.changes).toHaveLength(3);
    expect(all.changes.at(-1)).toEqual({ op: "upsert", entry: stopped.json<{ entry: EntryBody }>().entry });
    expect(all.changes.every((change) => change.entry?.username === cat.username)).toBe(true);
  });

  it("answers 400 to a malformed cursor, or one past what the feed has given, and to a limit out of range", async () => {
    const dan = await t.signUp();
    await log(dan);
    for (const cursor of ["nope", "%00", Buffer.from("v1.x.0").toString("base64url"), Buffer.from("v1.99999.0").toString("base64url")]) {
      expectValidationError(await t.request("GET", `/sync/entries?cursor=${cursor}`, { token: dan.token }), "/cursor");
    }
    for (const limit of ["0", "1001", "x"]) {
      expectProblem(await t.request("GET", `/sync/entries?limit=${limit}`, { token: dan.token }), 400, "VALIDATION_FAILED");
    }
  });

  it("answers 410 CURSOR_EXPIRED to a cursor from before deletions that were purged; a fresh start works", async () => {
    const eve = await t.signUp();
    const a = await log(eve);
    const kept = await log(eve);
    const { cursor } = await drain(eve, null);
    expect((await t.request("DELETE", `/entry/${a.id}`, { token: eve.token })).statusCode).toBe(204);
    // Every deletion recorded so far is older than an hour from now: the purge takes them.
    expect(await t.store.changeFeed.purgeDeletions(new Date(Date.now() + 3_600_000))).toBeGreaterThanOrEqual(1);
    expectProblem(await t.request("GET", `/sync/entries?cursor=${cursor}`, { token: eve.token }), 410, "CURSOR_EXPIRED");
    const fresh = await drain(eve, null, 1);
    expect(fresh.changes).toEqual([{ op: "upsert", entry: kept }]);
    expect((await drain(eve, fresh.cursor)).changes).toEqual([]);
  });

  it("keeps deletions younger than 30 days through the periodic purge", async () => {
    const fay = await t.signUp();
    const a = await log(fay);
    const { cursor } = await drain(fay, null);
    expect((await t.request("DELETE", `/entry/${a.id}`, { token: fay.token })).statusCode).toBe(204);
    const { PurgeSyncTombstones } = await import("../../src/application/sync.js");
    await new PurgeSyncTombstones(t.store.changeFeed, { now: () => new Date() }).execute();
    expect((await drain(fay, cursor)).changes).toEqual([{ op: "delete", id: a.id }]);
    // 31 days on, the same purge takes it, and the old cursor has expired.
    await new PurgeSyncTombstones(t.store.changeFeed, { now: () => new Date(Date.now() + 31 * 86_400_000) }).execute();
    expectProblem(await t.request("GET", `/sync/entries?cursor=${cursor}`, { token: fay.token }), 410, "CURSOR_EXPIRED");
  });
});
