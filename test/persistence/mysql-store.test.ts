import { userScope } from "../../src/application/ports/transactor.js";
import type { RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/application/ports/store.js";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { DEFAULT_TUNING, MySqlDatabase } from "../../src/adapters/persistence/mysql/mysql-database.js";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import {
  entryPageStatement,
  STREAM_BATCH_SIZE,
  USER_START_INDEX,
} from "../../src/adapters/persistence/mysql/mysql-time-entry-repository.js";
import { storedNameKey } from "../../src/adapters/persistence/mysql/name-keys.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { at, uniqueName } from "../support/names.js";
import { describeStoreContract } from "./store-contract.js";

describe.skipIf(!mysqlAvailable)("MySqlStore", () => {
  const databases = new Map<Store, TestDatabase>();

  describeStoreContract(
    "mysql",
    async () => {
      const database = await createTestDatabase("contract");
      const store = await database.openStore();
      databases.set(store, database);
      return store;
    },
    async (store) => {
      await store.close();
      await databases.get(store)?.drop();
    },
  );

  describe("beyond the contract", () => {
    let database: TestDatabase;
    let store: MySqlStore;
    beforeAll(async () => {
      database = await createTestDatabase("store");
      store = await database.openStore();
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it("describes itself without the password", () => {
      const config = database.config();
      expect(store.description).toBe(`mysql://${config.user}@${config.host}:${config.port}/${database.name}`);
      if (config.password) expect(store.description).not.toContain(config.password);
    });

    it("pages a user's entries through the (user_id, start_time, id) index, without sorting or OFFSET", async () => {
      const user = await store.users.add({ username: uniqueName("idx"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const category = await store.categories.add(uniqueName("idx"));
      for (let i = 0; i < 50; i++) {
        const start = new Date(at("2026-01-01 00:00").getTime() + i * 3_600_000);
        await store.entries.add({ userId: user.id, categoryId: category.id, start, end: new Date(start.getTime() + 60_000), note: null });
      }
      const connection = await database.connect();
      try {
        const queries = [
          { from: null, to: null, categoryId: null, after: null, limit: 10 },
          { from: at("2026-01-01 05:00"), to: at("2026-01-02 00:00"), categoryId: category.id, after: { start: at("2026-01-01 06:00"), id: 3 }, limit: 10 },
        ];
        for (const query of queries) {
          const { sql, params } = entryPageStatement(user.id, query);
          expect(sql).not.toMatch(/OFFSET/i);
          const [plan] = await connection.execute<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
          const entries = plan.find((row) => row.table === "e");
          expect(entries?.key).toBe(USER_START_INDEX);
          expect(String(entries?.Extra ?? "")).not.toMatch(/filesort/i);
        }
      } finally {
        await connection.end();
      }
    });

    it("holds no connection between stream batches: with a pool of one, other work runs mid-stream", async () => {
      const small = await database.openStore({ poolSize: 1, acquireTimeoutMs: 2_000, migrate: false });
      try {
        const user = await small.users.add({ username: uniqueName("stream"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
        const category = await small.categories.add(uniqueName("stream"));
        const connection = await database.connect();
        try {
          const values: (string | number | Date)[] = [];
          const count = STREAM_BATCH_SIZE + 5;
          for (let i = 0; i < count; i++) {
            const start = new Date(at("2025-01-01 00:00").getTime() + i * 3_600_000);
            values.push(user.id, category.id, start, new Date(start.getTime() + 60_000));
          }
          const placeholders = Array.from({ length: count }, () => "(?, ?, ?, ?)").join(", ");
          await connection.execute(`INSERT INTO time_entries (user_id, category_id, start_time, end_time) VALUES ${placeholders}`, values);
        } finally {
          await connection.end();
        }
        let seen = 0;
        for await (const entry of small.entries.streamByUser(user.id, { from: null, to: null, categoryId: null })) {
          seen++;
          if (seen === 1 || seen === STREAM_BATCH_SIZE) {
            // Would wait for the only connection (and fail after 2 s) if the stream kept it.
            expect((await small.entries.findById(entry.id))?.id).toBe(entry.id);
          }
        }
        expect(seen).toBe(STREAM_BATCH_SIZE + 5);
      } finally {
        await small.close();
      }
    });

    it("sees categories changed outside the process at once: nothing about them is remembered", async () => {
      const user = await store.users.add({ username: uniqueName("outside"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const before = uniqueName("Before");
      const category = await store.categories.add(before);
      expect(await store.categories.findByName(before)).toEqual(category);
      const entry = (start: string) =>
        store.entries.add({ userId: user.id, categoryId: category.id, start: at(start), end: at(start.replace("09:", "10:")), note: null });
      expect((await entry("2026-02-10 09:00")).categoryName).toBe(before);

      const connection = await database.connect();
      try {
        const after = uniqueName("After");
        await connection.execute("UPDATE category SET name = ?, name_key = ? WHERE id = ?", [after, storedNameKey(after), category.id]);
        expect(await store.categories.findByName(before)).toBeNull();
        expect(await store.categories.findByName(after.toUpperCase())).toEqual({ id: category.id, name: after });
        expect((await entry("2026-02-11 09:00")).categoryName).toBe(after);

        const gone = await store.categories.add(uniqueName("Gone"));
        expect(await store.categories.findByName(gone.name)).toEqual(gone);
        await connection.execute("DELETE FROM category WHERE id = ?", [gone.id]);
        expect(await store.categories.findByName(gone.name)).toBeNull();
      } finally {
        await connection.end();
      }
    });

    it("reads and writes UTC whatever the process's time zone", async () => {
      const saved = process.env.TZ;
      process.env.TZ = "America/New_York";
      try {
        const user = await store.users.add({ username: uniqueName("tz"), passwordHash: "x", createdAt: at("2026-03-08 07:30:00") });
        const category = await store.categories.add(uniqueName("tz"));
        // 06:30Z is 01:30 EST, in the hour before New York's clocks jump forward.
        const entry = await store.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-03-08 06:30:00"), end: at("2026-03-08 07:30:00"), note: null });
        expect((await store.entries.findById(entry.id))?.start.toISOString()).toBe("2026-03-08T06:30:00.000Z");
        expect((await store.users.findById(user.id))?.createdAt.toISOString()).toBe("2026-03-08T07:30:00.000Z");
        const connection = await database.connect();
        try {
          const [rows] = await connection.execute<RowDataPacket[]>(
            "SELECT DATE_FORMAT(start_time, '%Y-%m-%d %H:%i:%s') AS start FROM time_entries WHERE id = ?",
            [entry.id],
          );
          expect(rows[0]?.start).toBe("2026-03-08 06:30:00");
        } finally {
          await connection.end();
        }
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });

    it("keeps whole seconds, dropping milliseconds rather than rounding them up", async () => {
      const user = await store.users.add({ username: uniqueName("ms"), passwordHash: "x", createdAt: new Date("2026-01-01T00:00:00.999Z") });
      const category = await store.categories.add(uniqueName("ms"));
      const entry = await store.entries.add({
        userId: user.id, categoryId: category.id, start: new Date("2026-02-10T09:00:00.999Z"), end: new Date("2026-02-10T10:00:00.500Z"), note: null,
      });
      expect(entry.start.toISOString()).toBe("2026-02-10T09:00:00.000Z");
      expect((await store.entries.findById(entry.id))?.end?.toISOString()).toBe("2026-02-10T10:00:00.000Z");
      expect((await store.users.findById(user.id))?.createdAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
      expect(user.createdAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    });

    it("fails a statement the server does not answer within the statement timeout, and keeps working", async () => {
      const db = new MySqlDatabase(database.config(2), { ...DEFAULT_TUNING, statementTimeoutMs: 300 });
      try {
        const started = performance.now();
        const outcome = await db.runner.select("SELECT SLEEP(3) AS slept").catch((error: unknown) => error);
        expect(outcome).toBeInstanceOf(StoreUnavailable);
        expect(performance.now() - started).toBeLessThan(2_000);
        // The timed-out connection was not handed out again: the next statements get answers.
        for (let i = 0; i < 3; i++) expect(await db.runner.select("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    });

    it("never lets a failed unit of work's writes ride on the next one's COMMIT (one transaction connection)", async () => {
      // Transactions run with autocommit off: a write left on the connection by a failed unit of
      // work would be committed by whichever unit of work used the connection next.
      const single = await database.openStore({ poolSize: 1, migrate: false });
      try {
        const user = await single.users.add({ username: uniqueName("tx"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
        const category = await single.categories.add(uniqueName("tx"));
        let failedId = 0;
        await expect(
          single.transactor.run(userScope(user.id), async (repos) => {
            failedId = (await repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: at("2026-02-10 10:00"), note: null })).id;
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        const kept = await single.transactor.run(userScope(user.id), (repos) =>
          repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 11:00"), end: at("2026-02-10 12:00"), note: null }),
        );
        expect(await single.entries.findById(kept.id)).toEqual(kept);
        expect(await single.entries.findById(failedId)).toBeNull();
      } finally {
        await single.close();
      }
    });
  });
});
