import { userScope } from "../../src/application/ports/transactor.js";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import { UsernameTaken } from "../../src/domain/errors.js";
import type { Category } from "../../src/domain/category.js";
import type { User } from "../../src/domain/user.js";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import { at, uniqueName } from "../support/names.js";
import { tempDir } from "../support/temp-dir.js";

/**
 * better-sqlite3 is synchronous, use cases are async: a transaction stays open while its work
 * awaits, and other requests run meanwhile. These tests pin down what the store promises then.
 */
const dir = tempDir("time-tracker-sqlite-concurrency-");
afterAll(() => dir.remove());

let files = 0;
const freshPath = (): string => join(dir.path, `db-${++files}.sqlite`);

const opened: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function open(path: string, options: { busyTimeoutMs?: number } = {}): Promise<SqliteStore> {
  const store = SqliteStore.open(path, options);
  opened.push(store);
  await store.migrate();
  return store;
}

function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const aUser = (store: SqliteStore): Promise<User> =>
  store.users.add({ username: uniqueName("u"), passwordHash: "h", createdAt: at("2026-01-01 00:00") });

const anEntry = (userId: number, category: Category, start: string, end: string | null) => ({
  userId,
  categoryId: category.id,
  start: at(start),
  end: end === null ? null : at(end),
  note: null,
});

describe("sqlite store: one process, async work on a synchronous driver", () => {
  it("keeps a write made outside a transaction while it was open, though that transaction rolls back", async () => {
    const path = freshPath();
    const store = await open(path);
    const user = await aUser(store);
    const category = await store.categories.add(uniqueName("c"));

    const inside = gate();
    const release = gate();
    let uncommittedId = 0;
    const transaction = store.transactor.run(userScope(user.id), async (repos) => {
      uncommittedId = (await repos.entries.add(anEntry(user.id, category, "2026-02-10 09:00", "2026-02-10 10:00"))).id;
      inside.open();
      await release.opened;
      throw new Error("work failed");
    });
    await inside.opened;

    let written = false;
    const name = uniqueName("written-meanwhile");
    let outside: Promise<Category> | undefined;
    let meanwhile: Promise<User> | undefined;
    try {
      // While the transaction is open: writes from other requests wait for it…
      outside = store.categories.add(name).then((added) => {
        written = true;
        return added;
      });
      meanwhile = store.users.add({ username: uniqueName("meanwhile"), passwordHash: "h", createdAt: at("2026-01-01 00:00") });
      // …reads from other requests do not wait, and see only committed data.
      expect(await store.entries.findById(uncommittedId)).toBeNull();
      expect(await store.categories.findByName(name)).toBeNull();
      await sleep(50);
      expect(written).toBe(false);
    } finally {
      release.open();
    }
    await expect(transaction).rejects.toThrow("work failed");
    const category2 = await outside;
    const meanwhileUser = await meanwhile;
    if (!category2 || !meanwhileUser) throw new Error("the writes made meanwhile were not issued");

    expect(await store.entries.findById(uncommittedId)).toBeNull();
    expect(await store.categories.findByName(name)).toEqual(category2);
    expect(await store.users.findById(meanwhileUser.id)).toEqual(meanwhileUser);
    await store.close();
    const reopened = await open(path);
    expect(await reopened.categories.findByName(name)).toEqual(category2);
    expect(await reopened.users.findById(meanwhileUser.id)).toEqual(meanwhileUser);
    expect(await reopened.entries.findById(uncommittedId)).toBeNull();
  });

  it("runs many transactions and writes at once without nesting BEGINs or losing one", async () => {
    const store = await open(freshPath());
    const category = await store.categories.add(uniqueName("c"));
    const users = await Promise.all(Array.from({ length: 5 }, () => aUser(store)));
    const work = users.flatMap((user, u) =>
      Array.from({ length: 6 }, (_, i) =>
        store.transactor.run(userScope(user.id), async (repos) => {
          await sleep(1);
          const start = `2026-02-1${u} ${String(9 + i).padStart(2, "0")}:00`;
          const end = `2026-02-1${u} ${String(9 + i).padStart(2, "0")}:30`;
          if ((await repos.entries.findOverlapping(user.id, { start: at(start), end: at(end) }, null)).length) return null;
          return repos.entries.add(anEntry(user.id, category, start, end));
        }),
      ),
    );
    const outside = Array.from({ length: 20 }, (_, i) => store.categories.add(`${uniqueName("parallel")}-${i}`));
    const results = await Promise.all([...work, ...outside]);
    expect(results.every((r) => r !== null)).toBe(true);
    for (const user of users) {
      const list = await store.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 100 });
      expect(list).toHaveLength(6);
    }
  });

  it("lets code inside a transaction use the store's own repositories: they join it, and roll back with it", async () => {
    const store = await open(freshPath());
    const user = await aUser(store);
    const name = uniqueName("joined");
    await expect(
      store.transactor.run(userScope(user.id), async () => {
        await store.categories.add(name);
        expect(await store.categories.findByName(name)).not.toBeNull();
        await store.transactor.run(userScope(user.id), async (repos) => {
          expect(await repos.categories.findByName(name)).not.toBeNull();
        });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await store.categories.findByName(name)).toBeNull();
  });

  it("refuses repositories used after their transaction ended", async () => {
    const store = await open(freshPath());
    const user = await aUser(store);
    const leaked = await store.transactor.run(userScope(user.id), async (repos) => repos);
    await expect(leaked.categories.add(uniqueName("late"))).rejects.toThrow(/unit of work has ended/);
    await expect(leaked.users.findById(user.id)).rejects.toThrow(/unit of work has ended/);
  });

  it("keeps a domain error inside a transaction from undoing the work done before it", async () => {
    const store = await open(freshPath());
    const user = await aUser(store);
    const taken = await aUser(store);
    const name = uniqueName("kept");
    await store.transactor.run(userScope(user.id), async (repos) => {
      await repos.categories.add(name);
      await expect(repos.users.add({ username: taken.username, passwordHash: "h", createdAt: at("2026-01-01 00:00") })).rejects.toBeInstanceOf(UsernameTaken);
    });
    expect(await store.categories.findByName(name)).not.toBeNull();
  });
});

describe("sqlite store: two processes on one file", () => {
  it("of check-then-write races through two stores' transactors, exactly one wins", async () => {
    const path = freshPath();
    const a = await open(path);
    const b = await open(path);
    const user = await aUser(a);
    const category = await b.categories.add(uniqueName("c"));
    const startTimer = (store: SqliteStore) =>
      store.transactor.run(userScope(user.id), async (repos) => {
        const running = await repos.entries.findRunning(user.id);
        await sleep(5);
        if (running) return false;
        await repos.entries.add(anEntry(user.id, category, "2026-02-10 09:00", null));
        return true;
      });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => startTimer(i % 2 === 0 ? a : b)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const all = await b.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 100 });
    expect(all).toHaveLength(1);
  });

  it("of one username registered through two stores at once, exactly one wins", async () => {
    const path = freshPath();
    const stores = [await open(path), await open(path)];
    const username = uniqueName("twice");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % 2]!.users.add({ username, passwordHash: "h", createdAt: at("2026-01-01 00:00") }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(UsernameTaken);
  });

  it("sees what the other store committed, and never what it has not", async () => {
    const path = freshPath();
    const a = await open(path);
    const b = await open(path);
    const user = await aUser(a);
    const inside = gate();
    const release = gate();
    const name = uniqueName("other-process");
    const transaction = a.transactor.run(userScope(user.id), async (repos) => {
      await repos.categories.add(name);
      inside.open();
      await release.opened;
    });
    await inside.opened;
    expect(await b.categories.findByName(name)).toBeNull();
    release.open();
    await transaction;
    expect(await b.categories.findByName(name)).not.toBeNull();
  });

  it("waits for the other store's lock without blocking the event loop, then gives up with StoreUnavailable", async () => {
    const path = freshPath();
    const holder = await open(path);
    const waiter = await open(path, { busyTimeoutMs: 300 });
    const user = await aUser(holder);
    const inside = gate();
    const release = gate();
    const holding = holder.transactor.run(userScope(user.id), async () => {
      inside.open();
      await release.opened;
    });
    await inside.opened;

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    const attempt = waiter.categories.add(uniqueName("blocked")).then(
      () => "written",
      (error: unknown) => error,
    );
    try {
      const outcome = await attempt;
      expect(outcome).toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      // The loop went on turning while the store waited: other requests are served meanwhile.
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticker);
      release.open();
      await holding;
    }
    // Once the lock is free, the same store writes again.
    expect(await waiter.categories.add(uniqueName("after"))).toMatchObject({ id: expect.any(Number) });
  });

  it("waits for a lock the other store releases in time, and then writes", async () => {
    const path = freshPath();
    const holder = await open(path);
    const waiter = await open(path);
    const user = await aUser(holder);
    const inside = gate();
    const holding = holder.transactor.run(userScope(user.id), async () => {
      inside.open();
      await sleep(150);
    });
    await inside.opened;
    const name = uniqueName("waited");
    const added = await waiter.categories.add(name);
    await holding;
    expect(await holder.categories.findByName(name)).toEqual(added);
  });
});

describe("sqlite store: streaming", () => {
  it("reads a stream a batch at a time, not all at once", async () => {
    const store = await open(freshPath());
    const user = await aUser(store);
    const category = await store.categories.add(uniqueName("c"));
    const base = at("2026-01-01 00:00").getTime();
    await store.transactor.run(userScope(user.id), async (repos) => {
      for (let i = 0; i < 1200; i++) {
        const start = new Date(base + i * 3_600_000);
        await repos.entries.add({ userId: user.id, categoryId: category.id, start, end: new Date(start.getTime() + 60_000), note: null });
      }
    });
    let seen = 0;
    for await (const _ of store.entries.streamByUser(user.id, { from: null, to: null, categoryId: null })) {
      if (seen++ === 0) {
        // Added after the stream began: a stream that had read everything up front would miss it.
        await store.entries.add(anEntry(user.id, category, "2030-01-01 00:00", "2030-01-01 01:00"));
      }
    }
    expect(seen).toBe(1201);
  });
});
