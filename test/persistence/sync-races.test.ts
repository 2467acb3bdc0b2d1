import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import { CreateCategory } from "../../src/application/create-category.js";
import { DeleteTimeEntry } from "../../src/application/delete-time-entry.js";
import { bookingLookups } from "../../src/application/entry-booking.js";
import { LogTimeEntry } from "../../src/application/log-time-entry.js";
import type { Store } from "../../src/application/ports/store.js";
import { SyncEntries } from "../../src/application/sync.js";
import { UpdateTimeEntry } from "../../src/application/update-time-entry.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { FixedClock } from "../support/fakes.js";
import { createTestDatabase, mysqlAvailable } from "../support/mysql-database.js";
import { uniqueName } from "../support/names.js";
import { tempDir } from "../support/temp-dir.js";

const dir = tempDir("time-tracker-sync-");
afterAll(() => dir.remove());

const clock = new FixedClock(new Date("2026-02-10T18:00:00Z"));
const WRITERS = 6;
const ROUNDS = 8;

/**
 * "Nothing is ever skipped, also when writes commit out of order on several processes": writers
 * on two stores (two pools on one MySQL database, or two connections to one SQLite file) log,
 * edit and delete one user's entries at once while a reader follows the feed through both
 * stores; replaying what the reader saw must give exactly the entries there are at the end.
 */
async function raceWritersAgainstReader(stores: [Store, Store]): Promise<void> {
  const [a, b] = stores;
  const user = await a.users.add({ username: uniqueName("sync"), passwordHash: "h", createdAt: new Date() });
  const category = uniqueName("Sync");
  await new CreateCategory(a.categories).execute({ name: category });
  const actor = { id: user.id, username: user.username, role: user.role, hourlyRateCents: null };
  const via = (i: number) => (i % 2 === 0 ? a : b);

  async function writer(w: number): Promise<void> {
    for (let round = 0; round < ROUNDS; round++) {
      const store = via(w + round);
      const start = Date.UTC(2025, 0, 1) + (w * ROUNDS + round) * 3_600_000;
      const entry = await new LogTimeEntry(bookingLookups(store, clock), store.transactor).execute({
        actor,
        category,
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 600_000).toISOString(),
      });
      const other = via(w + round + 1);
      await new UpdateTimeEntry(other.categories, other.settings, other.transactor, clock).execute({
        actor,
        entryId: entry.id,
        note: `w${w} r${round}`,
      });
      if (round % 3 === 0) await new DeleteTimeEntry(store.settings, store.transactor).execute({ actor, entryId: entry.id });
    }
  }

  const seen = new Map<number, TimeEntry>();
  let cursor: string | undefined;
  let reads = 0;
  async function readOnce(): Promise<void> {
    for (;;) {
      const page = await new SyncEntries(via(reads++).changeFeed).execute({ actor, cursor, limit: 7 });
      for (const change of page.changes) {
        if (change.op === "upsert") seen.set(change.entry.id, change.entry);
        else seen.delete(change.id);
      }
      cursor = page.nextCursor;
      if (!page.hasMore) return;
    }
  }
  let writing = true;
  const reader = (async () => {
    while (writing) {
      await readOnce();
      // SQLite answers synchronously: let the writers' turns (and their busy waits) run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  writing = false;
  await reader;
  await readOnce();

  const actual = await a.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 1000 });
  expect(actual).toHaveLength(WRITERS * (ROUNDS - Math.ceil(ROUNDS / 3)));
  expect([...seen.values()].sort((x, y) => x.id - y.id)).toEqual([...actual].sort((x, y) => x.id - y.id));
  expect(reads).toBeGreaterThan(2);
}

describe("the change feed under concurrent writers on two stores", () => {
  it("on two connections to one SQLite file, a reader following the feed misses nothing", async () => {
    const path = join(dir.path, "sync.sqlite");
    const first = SqliteStore.open(path);
    await first.migrate();
    const second = SqliteStore.open(path);
    try {
      await raceWritersAgainstReader([first, second]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it.skipIf(!mysqlAvailable)("on two pools on one MySQL database, a reader following the feed misses nothing", async () => {
    const database = await createTestDatabase("sync_races");
    const first = await database.openStore({ poolSize: 6 });
    const second = await database.openStore({ poolSize: 6, migrate: false });
    try {
      await raceWritersAgainstReader([first, second]);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await database.drop();
    }
  });
});
