import { userScope } from "../../src/application/ports/transactor.js";
import { chmodSync, existsSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sortByName } from "../../src/domain/names.js";
import { overlaps } from "../../src/domain/time-range.js";
import { MIGRATIONS } from "../../src/adapters/persistence/sqlite/migrations.js";
import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import { entryPageSql, overlapSql, reportSql, STREAM_BATCH_SIZE } from "../../src/adapters/persistence/sqlite/sqlite-time-entry-repository.js";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import type { EntryFilter, EntryPosition } from "../../src/application/ports/time-entry-repository.js";
import { at, uniqueName } from "../support/names.js";
import { tempDir } from "../support/temp-dir.js";
import { describeStoreContract } from "./store-contract.js";

const dir = tempDir("time-tracker-sqlite-");
afterAll(() => dir.remove());

let files = 0;
/** A path for a database of its own, in a folder that does not exist yet. */
const freshPath = (): string => join(dir.path, `db-${++files}`, "nested", "time-tracker.sqlite");

async function openMigrated(path: string): Promise<SqliteStore> {
  const store = SqliteStore.open(path);
  await store.migrate();
  return store;
}

/** Reads the file behind the store's back, as an operator with the sqlite3 shell would. */
function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describeStoreContract("sqlite file", () => openMigrated(freshPath()), (store) => store.close());

describeStoreContract("sqlite :memory:", () => openMigrated(":memory:"), (store) => store.close());

describe("sqlite store: the file", () => {
  it("creates its folder, and a database file (and -wal, -shm) only its owner can read", async () => {
    const path = freshPath();
    expect(existsSync(join(path, ".."))).toBe(false);
    const store = await openMigrated(path);
    try {
      await store.users.add({ username: uniqueName("ann"), passwordHash: "h", createdAt: at("2026-01-01 00:00") });
      expect(modeOf(join(path, "..")).toString(8)).toBe("700");
      expect(modeOf(join(path, "..", "..")).toString(8)).toBe("700");
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(modeOf(file).toString(8), file).toBe("600");
      }
    } finally {
      await store.close();
    }
  });

  it("restricts a database file it finds readable by others to 0600", async () => {
    const path = freshPath();
    await (await openMigrated(path)).close();
    chmodSync(path, 0o644);
    const store = SqliteStore.open(path);
    await store.close();
    expect(modeOf(path).toString(8)).toBe("600");
  });

  it("runs in WAL mode, and describes itself by the absolute path of its file", async () => {
    const path = freshPath();
    const store = SqliteStore.open(relative(process.cwd(), path));
    try {
      expect(store.description).toBe(`sqlite file ${path}`);
      expect(store.path).toBe(path);
      expect(inspect(path, (db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
    } finally {
      await store.close();
    }
  });

  it("refuses to open what is not a database, with StoreUnavailable naming the file", () => {
    const path = join(dir.path, "not-a-database.sqlite");
    writeFileSync(path, "this is a text file, not SQLite ".repeat(100));
    expect(() => SqliteStore.open(path)).toThrow(StoreUnavailable);
    expect(() => SqliteStore.open(path)).toThrow(path);
  });

  it("keeps every row across closing and reopening", async () => {
    const path = freshPath();
    const first = await openMigrated(path);
    const user = await first.users.add({ username: "Zoë", passwordHash: "$argon2id$x", createdAt: at("2026-02-01 08:00:01") });
    const category = await first.categories.add("Ärger");
    const entry = await first.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: at("2026-02-10 10:00"), note: "n" });
    const timer = await first.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 11:00"), end: null, note: null });
    await first.sessions.add({ tokenHash: "a".repeat(64), userId: user.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2100-01-01 00:00") });
    await first.entries.remove(timer.id);
    await first.close();

    const second = await openMigrated(path);
    try {
      expect(await second.users.findByUsername("ZOE")).toEqual(user);
      expect(await second.categories.findByName("arger")).toEqual(category);
      expect(await second.entries.findById(entry.id)).toEqual(entry);
      expect(await second.sessions.findUser("a".repeat(64), at("2026-02-10 12:00"))).toEqual(user);
      // AUTOINCREMENT: an id once used is never handed out again, even after its row was deleted.
      const next = await second.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-11 09:00"), end: null, note: null });
      expect(next.id).toBeGreaterThan(timer.id);
    } finally {
      await second.close();
    }
  });

  it("stores instants as UTC epoch seconds, fractions of a second dropped", async () => {
    const path = freshPath();
    const store = await openMigrated(path);
    try {
      const user = await store.users.add({ username: uniqueName("t"), passwordHash: "h", createdAt: new Date("2026-02-10T09:00:05.999Z") });
      expect(user.createdAt.toISOString()).toBe("2026-02-10T09:00:05.000Z");
      const stored = inspect(path, (db) => db.prepare("SELECT created_at, typeof(created_at) AS type FROM users WHERE id = ?").get(user.id));
      expect(stored).toEqual({ created_at: Date.UTC(2026, 1, 10, 9, 0, 5) / 1000, type: "integer" });
    } finally {
      await store.close();
    }
  });

  it("enforces foreign keys: an entry needs an existing category", async () => {
    const store = await openMigrated(freshPath());
    try {
      const user = await store.users.add({ username: uniqueName("fk"), passwordHash: "h", createdAt: at("2026-01-01 00:00") });
      await expect(
        store.entries.add({ userId: user.id, categoryId: 999_999, start: at("2026-02-10 09:00"), end: null, note: null }),
      ).rejects.toMatchObject({ name: "ReferencedRowMissing", cause: expect.objectContaining({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" }) });
    } finally {
      await store.close();
    }
  });

  it("once closed, answers ping with false and every call with StoreUnavailable", async () => {
    const store = await openMigrated(freshPath());
    await store.close();
    await store.close();
    expect(await store.ping()).toBe(false);
    await expect(store.users.findById(1)).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.categories.add("x")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.transactor.run(userScope(1), async () => 1)).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

describe("sqlite store: migrations", () => {
  const applied = (path: string) =>
    inspect(path, (db) => db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all());
  const schema = (path: string) =>
    inspect(path, (db) => db.prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_schema ORDER BY name").all());

  it("records each migration once; running them again changes nothing", async () => {
    const path = freshPath();
    const store = await openMigrated(path);
    const before = { applied: applied(path), schema: schema(path) };
    expect(before.applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: expect.any(Number) })));
    expect(before.schema.filter((s) => s.type === "table").map((s) => s.name)).toEqual(
      expect.arrayContaining(["users", "category", "time_entries", "sessions", "schema_migrations"]),
    );
    await store.migrate();
    await store.close();
    const reopened = await openMigrated(path);
    await reopened.close();
    expect({ applied: applied(path), schema: schema(path) }).toEqual(before);
  });

  it("applies a later migration to a database made by an earlier build, and records it", async () => {
    const path = freshPath();
    await (await openMigrated(path)).close();
    const next = { version: Math.max(...MIGRATIONS.map((m) => m.version)) + 1, name: "a later step", sql: "CREATE TABLE later_step (id INTEGER PRIMARY KEY)" };
    const store = SqliteStore.open(path, { migrations: [...MIGRATIONS, next] });
    await store.migrate();
    await store.close();
    expect(applied(path).map((row) => (row as { version: number }).version)).toEqual([...MIGRATIONS.map((m) => m.version), next.version]);
  });

  it("gives the sessions of a database older than version 9 each a public id of their own", async () => {
    const path = freshPath();
    const older = SqliteStore.open(path, { migrations: MIGRATIONS.filter((m) => m.version < 9) });
    await older.migrate();
    const user = await older.users.add({ username: uniqueName("ann"), passwordHash: "x", createdAt: at("2026-02-10 09:00") });
    await older.close();
    // Sessions as the older build wrote them: no public id.
    const db = new Database(path);
    for (const hash of ["a", "b"]) {
      db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, 0, 4102444800)").run(hash.repeat(64), user.id);
    }
    db.close();
    const store = await openMigrated(path);
    try {
      const ids = (await store.sessions.listByUser(user.id, at("2026-02-10 12:00"))).map((session) => session.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await store.close();
    }
  });

  it("moves a database older than version 14 to the claim cursor without skipping a delivery never tried", async () => {
    const path = freshPath();
    const older = SqliteStore.open(path, { migrations: MIGRATIONS.filter((m) => m.version < 14) });
    await older.migrate();
    const user = await older.users.add({ username: uniqueName("hook"), passwordHash: "x", createdAt: at("2026-02-10 09:00") });
    const webhook = await older.webhooks.add({
      userId: user.id, url: "http://203.0.113.9/", eventMask: 1, description: null, allUsers: false, secret: `whsec_${"A".repeat(32)}`, createdAt: at("2026-02-10 09:00"),
    });
    await older.close();
    // As the older build left them: a new one below a retried one (claims went by due time then).
    const db = new Database(path);
    const insert = db.prepare(
      "INSERT INTO webhook_deliveries (webhook_id, type, username, status, attempts, next_attempt_at, created_at) VALUES (?, 'webhook.ping', 'u', ?, ?, ?, 0)",
    );
    const ids = (
      [
        ["delivered", 1, 1_000],
        ["pending", 0, 5_000],
        ["pending", 2, 2_000],
        ["pending", 0, 6_000],
        ["failed", 3, 1_000],
      ] as const
    ).map(([status, attempts, due]) => Number(insert.run(webhook.id, status, attempts, due).lastInsertRowid));
    db.close();
    const store = await openMigrated(path);
    try {
      // The delivery log, whose index now holds finished deliveries only, still lists all five.
      expect((await store.webhooks.deliveries(webhook.id, 10)).map((d) => [d.id, d.status])).toEqual(
        [...ids].reverse().map((id, i) => [id, ["failed", "pending", "pending", "pending", "delivered"][i]]),
      );
      expect(await store.webhooks.pendingCount()).toBe(3);
      const claimed = await store.webhooks.claimDue(new Date(10_000), new Date(70_000), 10);
      expect(claimed.map((d) => d.id)).toEqual([ids[1], ids[2], ids[3]]);
      expect(await store.webhooks.claimDue(new Date(10_000), new Date(70_000), 10)).toEqual([]);
    } finally {
      await store.close();
    }
    // Queueing writes no index entry: every index of the outbox is partial, of deliveries tried
    // and pending (retries) or finished (the delivery log's, the purge's).
    const indexes = inspect(path, (d) => d.prepare("PRAGMA index_list(webhook_deliveries)").all() as { name: string; partial: number }[]);
    expect(indexes.map((index) => [index.name, index.partial]).sort()).toEqual([
      ["webhook_deliveries_finished", 1],
      ["webhook_deliveries_log", 1],
      ["webhook_deliveries_retry", 1],
    ]);
  });

  it("refuses a database migrated by a newer build", async () => {
    const path = freshPath();
    const newer = SqliteStore.open(path, {
      migrations: [...MIGRATIONS, { version: 99, name: "from the future", sql: "SELECT 1" }],
    });
    await newer.migrate();
    await newer.close();
    const store = SqliteStore.open(path);
    try {
      await expect(store.migrate()).rejects.toThrow(/schema version 99/);
    } finally {
      await store.close();
    }
  });

  it("of two stores migrating one new file at once, each step is applied once", async () => {
    const path = freshPath();
    const a = SqliteStore.open(path);
    const b = SqliteStore.open(path);
    try {
      await Promise.all([a.migrate(), b.migrate()]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(applied(path)).toHaveLength(MIGRATIONS.length);
  });
});

describe("sqlite store: query plans", () => {
  const plan = (sql: string): string[] =>
    inspect(planPath, (db) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({
        userId: 1, afterUser: 1, afterStart: 1, afterId: 1, from: 1, to: 2, categoryId: 1, limit: 10, start: 1, end: 2, excludeId: 1,
      }) as { detail: string }[]).map((row) => row.detail),
    );
  const planPath = freshPath();
  beforeAll(async () => {
    await (await openMigrated(planPath)).close();
  });

  it("pages through entries along the (user_id, start_time, id) index: no OFFSET, no sort, no scan", () => {
    for (const after of [false, true]) {
      for (const from of [false, true]) {
        for (const to of [false, true]) {
          for (const category of [false, true]) {
            const sql = entryPageSql({ after, from, to, category, project: false, client: false, tag: false, billable: false });
            expect(sql).not.toMatch(/OFFSET/i);
            const steps = plan(sql);
            expect(steps.some((s) => s.startsWith("SEARCH e USING INDEX time_entries_user_start (user_id=?"))).toBe(true);
            expect(steps.filter((s) => s.includes("TEMP B-TREE") || s.startsWith("SCAN"))).toEqual([]);
          }
        }
      }
    }
  });

  it("reads a report's entries from the (user_id, start_time, id) index alone, in its order", () => {
    const none = { category: false, project: false, client: false, tag: false, billable: false };
    for (const after of [false, true]) {
      for (const clients of [false, true]) {
        const steps = plan(reportSql({ ...none, users: true, after, tags: false, clients }).replace("@userIds", "'[1,2]'"));
        expect(steps.some((s) => s.startsWith("SEARCH e USING COVERING INDEX time_entries_user_start (user_id=?")), steps.join(" | ")).toBe(true);
        expect(steps.filter((s) => s.includes("TEMP B-TREE") || s.startsWith("SCAN e"))).toEqual([]);
        // The projects' table only for the report by client.
        expect(steps.some((s) => s.startsWith("SEARCH p "))).toBe(clients);
      }
    }
  });

  it("finds overlapping entries from the (user_id, end_time) index, not the user's whole history", () => {
    for (const end of [false, true]) {
      for (const exclude of [false, true]) {
        const steps = plan(overlapSql({ end, exclude }));
        expect(steps.filter((s) => s.includes("COVERING INDEX time_entries_user_end"))).toHaveLength(2);
        expect(steps.filter((s) => s.startsWith("SCAN"))).toEqual([]);
      }
    }
  });
});

describe("sqlite store: the answers of a plain model of the rules", () => {
  const HOUR = 3_600_000;
  const BASE = at("2026-02-01 00:00").getTime();

  interface ModelEntry {
    readonly index: number;
    readonly start: Date;
    readonly end: Date | null;
    readonly other: boolean;
  }

  const byPosition = (a: ModelEntry, b: ModelEntry) => a.start.getTime() - b.start.getTime() || a.index - b.index;

  it("lists, filters, pages and finds overlaps as a filter over an array says it should", async () => {
    const sqlite = await openMigrated(freshPath());
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              start: fc.integer({ min: 0, max: 200 }),
              hours: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null, freq: 8 }),
              other: fc.boolean(),
            }),
            { maxLength: 40 },
          ),
          fc.array(
            fc.record({
              from: fc.option(fc.integer({ min: -10, max: 240 }), { nil: null }),
              to: fc.option(fc.integer({ min: -10, max: 240 }), { nil: null }),
              other: fc.option(fc.boolean(), { nil: null }),
              limit: fc.integer({ min: 1, max: 7 }),
            }),
            { minLength: 1, maxLength: 5 },
          ),
          async (rows, queries) => {
            // The same user, categories and entries (carried-over overlaps included) in the store
            // and in the model; ids ascend in insertion order, so the model orders by index.
            const user = await sqlite.users.add({ username: uniqueName("p"), passwordHash: "h", createdAt: new Date(BASE) });
            const cats = [await sqlite.categories.add(uniqueName("a")), await sqlite.categories.add(uniqueName("b"))];
            const model: ModelEntry[] = [];
            const ids: number[] = [];
            for (const [index, row] of rows.entries()) {
              const start = new Date(BASE + row.start * HOUR);
              const end = row.hours === null ? null : new Date(start.getTime() + row.hours * HOUR);
              const categoryId = (row.other ? cats[1] : cats[0])!.id;
              ids.push((await sqlite.entries.add({ userId: user.id, categoryId, start, end, note: null })).id);
              model.push({ index, start, end, other: row.other });
            }
            const local = (id: number) => ids.indexOf(id);
            const running = model.filter((e) => e.end === null).sort(byPosition)[0];

            for (const q of queries) {
              const filter: EntryFilter = {
                from: q.from === null ? null : new Date(BASE + q.from * HOUR),
                to: q.to === null ? null : new Date(BASE + q.to * HOUR),
                categoryId: q.other === null ? null : (q.other ? cats[1] : cats[0])!.id,
              };
              const wanted = model
                .filter((e) => filter.to === null || e.start.getTime() < filter.to.getTime())
                .filter((e) => filter.from === null || e.end === null || e.end.getTime() > filter.from.getTime())
                .filter((e) => q.other === null || e.other === q.other)
                .sort(byPosition)
                .map((e) => e.index);
              const got: number[] = [];
              let after: EntryPosition | null = null;
              for (;;) {
                const page = await sqlite.entries.listByUser(user.id, { ...filter, after, limit: q.limit });
                expect(page.length).toBeLessThanOrEqual(q.limit);
                got.push(...page.map((e) => local(e.id)));
                const last = page.at(-1);
                if (page.length < q.limit || !last) break;
                after = { start: last.start, id: last.id };
              }
              expect(got).toEqual(wanted);

              if (filter.from) {
                const range = { start: filter.from, end: filter.to };
                const overlapping = model
                  .filter((e) => e.index !== 0 && overlaps(range, e))
                  .sort(byPosition)
                  .map((e) => e.index);
                const excluded = ids[0] ?? null;
                expect((await sqlite.entries.findOverlapping(user.id, range, excluded)).map((e) => local(e.id))).toEqual(
                  overlapping,
                );
              }
            }
            const found = await sqlite.entries.findRunning(user.id);
            expect(found ? local(found.id) : null).toBe(running ? running.index : null);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await sqlite.close();
    }
  });

  it("sorts categories as the domain's name order does, astral characters and accents included", async () => {
    const sqlite = await openMigrated(freshPath());
    try {
      // U+1F600 comes after U+E000 in UTF-8 (SQLite's order) but before it in UTF-16 (JavaScript's).
      const names = ["b", "B2", "äx", "Z", "ay", "\u{1F600} smile", "\uE000 private", "\uFB01 ligature", "éa", "Eb", "ß", "ss1", "Ω", "10", "9", "\u{10400} deseret"];
      for (const name of names) await sqlite.categories.add(name);
      expect((await sqlite.categories.list()).map((c) => c.name)).toEqual(sortByName(names, (name) => name));
    } finally {
      await sqlite.close();
    }
  });
});

describe("sqlite store: long reads", () => {
  it("let other work run between the batches of a stream (SQLite answers synchronously)", async () => {
    const store = await openMigrated(":memory:");
    try {
      const user = await store.users.add({ username: uniqueName("long"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const category = await store.categories.add(uniqueName("long"));
      const base = at("2026-01-01 00:00").getTime();
      for (let i = 0; i < 3 * STREAM_BATCH_SIZE; i++) {
        const start = new Date(base + i * 3_600_000);
        await store.entries.add({ userId: user.id, categoryId: category.id, start, end: new Date(start.getTime() + 60_000), note: null });
      }
      // Work queued for the event loop's next turn, as an incoming request would be.
      let otherWorkRan = false;
      setImmediate(() => {
        otherWorkRan = true;
      });
      let readBeforeIt = 0;
      let read = 0;
      for await (const _ of store.entries.streamByUser(user.id, { from: null, to: null, categoryId: null })) {
        read++;
        if (!otherWorkRan) readBeforeIt++;
      }
      expect(read).toBe(3 * STREAM_BATCH_SIZE);
      expect(readBeforeIt).toBeLessThanOrEqual(STREAM_BATCH_SIZE);
    } finally {
      await store.close();
    }
  });
});
