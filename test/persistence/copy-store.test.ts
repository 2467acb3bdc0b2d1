import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyStore, type StoreLocation } from "../../src/adapters/persistence/copy/copy-store.js";
import { CopyRefused } from "../../src/adapters/persistence/copy/copy-tables.js";
import { MySqlTables } from "../../src/adapters/persistence/copy/mysql-tables.js";
import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import { loadConfig } from "../../src/config.js";
import { testApp } from "../support/http.js";
import { createTestDatabase, mysqlAvailable, silentLogger, type TestDatabase } from "../support/mysql-database.js";
import { tempDir } from "../support/temp-dir.js";

const config = loadConfig({ STORAGE: "sqlite" });
const sqlite = (path: string): StoreLocation => ({ kind: "sqlite", path });

/** Every table's rows (all columns, or those listed per table), keyed by table, in primary-key order. */
function dump(path: string, only?: Map<string, string[]>): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'schema_migrations' AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence') ORDER BY name")
      .all()
      .map((row) => row.name);
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      const columns = only?.get(table) ?? ["*"];
      if (only && !only.has(table) && table !== "sqlite_sequence") continue;
      out[table] = db.prepare(`SELECT ${columns.map((c) => (c === "*" ? c : `"${c}"`)).join(", ")} FROM "${table}" ORDER BY 1, 2`).all();
    }
    return out;
  } finally {
    db.close();
  }
}

/** A source store with a row in every table, written through the API where it has a route. */
async function fillSource(path: string): Promise<void> {
  const store = SqliteStore.open(path);
  await store.migrate();
  const t = await testApp({ store, env: { RATE_LIMIT_LOGIN_FAILURES: "5", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
  try {
    const owner = await t.owner();
    const ann = await t.signUp("Ann_Unal");
    const bob = await t.signUp("bob");
    await t.request("POST", "/login", { body: { username: "bob", password: "wrong" } }); // an attempt counter
    for (const name of ["Work", "Café"]) await t.request("POST", "/category", { token: ann.token, body: { name } });
    // An API token and a webhook (whose outbox gets a delivery for every entry written below).
    expect((await t.request("POST", "/tokens", { token: ann.token, body: { name: "script", scope: "read" } })).statusCode).toBe(201);
    const hook = await t.request("POST", "/webhooks", { token: ann.token, body: { url: "http://127.0.0.1:9/hook", events: ["*"] } });
    expect(hook.statusCode, hook.body).toBe(201);
    const entry = (start: string, end: string | null, token = ann.token) =>
      t.request("POST", "/entry", { token, body: { category: "Work", start_time: start, ...(end ? { end_time: end } : {}), note: "naïve – note" } });
    for (let day = 10; day < 20; day++) {
      const made = await entry(`2026-02-${day} 09:00:00`, `2026-02-${day} 10:30:00`);
      expect(made.statusCode, made.body).toBe(201);
    }
    expect((await entry(new Date(Date.now() - 3_600_000).toISOString(), null, bob.token)).statusCode).toBe(201);
    // The newest entry is deleted: its id must not be given again after the copy (the sequence is kept).
    const last = (await entry("2026-02-21 09:00:00", "2026-02-21 09:30:00")).json<{ entry: { id: number } }>().entry.id;
    expect((await t.request("DELETE", `/entry/${last}`, { token: ann.token })).statusCode).toBe(204);
    const team = (await t.request("POST", "/teams", { token: owner.token, body: { name: "Team A" } })).json<{ team: { id: number } }>().team.id;
    await t.request("PUT", `/teams/${team}/members/${ann.username}`, { token: owner.token, body: { lead: true } });
    await t.request("POST", "/invitations", { token: owner.token, body: { role: "admin" } });
    await t.request("PATCH", "/settings", { token: owner.token, body: { lock_before: "2026-01-01T00:00:00Z" } });
  } finally {
    await t.close();
  }
  // Tables without a route used here get rows directly.
  const db = new Database(path);
  db.exec(`
    INSERT INTO clients (name, name_key, archived, created_at) VALUES ('ACME', 'acme', 0, 1767225600);
    INSERT INTO projects (name, name_key, client_id, color, billable, hourly_rate_cents, archived, created_at)
      VALUES ('Site', 'site', 1, '#336699', 1, 9000, 0, 1767225600);
    INSERT INTO tags (name, name_key, created_at) VALUES ('urgent', 'urgent', 1767225600);
    INSERT INTO entry_tags (entry_id, tag_id) SELECT MIN(id), 1 FROM time_entries;
    INSERT INTO daily_targets (user_id, category_id, seconds) SELECT MIN(id), 1, 3600 FROM users;
    INSERT INTO user_totp (user_id, secret, created_at, enabled_at, last_step) SELECT MIN(id), 'JBSWY3DPEHPK3PXP', 1767225600, 1767225600, 58907520 FROM users;
    INSERT INTO totp_recovery_codes (user_id, code_hash, used_at) SELECT MIN(id), 'ab12', NULL FROM users;
    INSERT INTO identity_links (issuer, subject, user_id, created_at) SELECT 'https://id.example.com', 'sub-1', MIN(id), 1767225600 FROM users;
  `);
  db.close();
}

describe("copy-store", () => {
  const dir = tempDir();
  const source = join(dir.path, "source.sqlite");
  beforeAll(() => fillSource(source), 60_000);
  afterAll(() => dir.remove());

  it("copies SQLite into an empty SQLite file: every table, ids and sequences equal", async () => {
    const target = join(dir.path, "plain-copy.sqlite");
    const report = await copyStore(sqlite(source), sqlite(target), config, silentLogger);
    expect(report.find((table) => table.name === "time_entries")?.rows).toBe(11);
    const before = dump(source);
    for (const table of Object.keys(before)) expect(before[table]!.length, table).toBeGreaterThan(0);
    expect(dump(target)).toEqual(before);
  });

  it("refuses a target that holds data, and changes nothing in it", async () => {
    const target = join(dir.path, "used.sqlite");
    await copyStore(sqlite(source), sqlite(target), config, silentLogger);
    const before = dump(target);
    await expect(copyStore(sqlite(source), sqlite(target), config, silentLogger)).rejects.toThrow(CopyRefused);
    await expect(copyStore(sqlite(source), sqlite(target), config, silentLogger)).rejects.toThrow(/not empty/);
    expect(dump(target)).toEqual(before);
  });

  it("a copy that fails part-way leaves the target empty (one transaction), and running it again succeeds", async () => {
    const target = join(dir.path, "retried.sqlite");
    let written = 0;
    await expect(
      copyStore(sqlite(source), sqlite(target), config, silentLogger, {
        afterTable: () => {
          if (++written === 4) throw new Error("the copy was interrupted");
        },
      }),
    ).rejects.toThrow("interrupted");
    const leftover = dump(target);
    expect(leftover.users).toEqual([]);
    expect(leftover.time_entries).toEqual([]);
    await copyStore(sqlite(source), sqlite(target), config, silentLogger);
    expect(dump(target)).toEqual(dump(source));
  });

  describe.skipIf(!mysqlAvailable)("through MySQL", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase("copy_store");
    });
    afterAll(() => db?.drop());

    it("round-trips SQLite → MySQL → SQLite: every table, every column both stores have, ids and sequences", async () => {
      const mysql: StoreLocation = { kind: "mysql", mysql: db.config() };
      const there = await copyStore(sqlite(source), mysql, config, silentLogger);
      const back = join(dir.path, "round-trip.sqlite");
      const again = await copyStore(mysql, sqlite(back), config, silentLogger);
      // Each store lists tables in its own order (ties of the foreign-key order): compare by name.
      const sums = (report: typeof there) => report.map((table) => [table.name, table.rows, table.checksum]).sort();
      expect(sums(again)).toEqual(sums(there));
      // The columns MySQL has (SQLite alone keeps category.created_at and users.updated_at, which
      // the copy back fills with their defaults).
      const tables = await MySqlTables.open(db.config());
      const columns = new Map((await tables.tables()).map((table) => [table.name, table.columns.map((column) => column.name)]));
      await tables.close();
      expect(dump(back, columns)).toEqual(dump(source, columns));
      expect(columns.get("time_entries")).toContain("start_time");

      // A copied MySQL store goes on with the next ids, never one of a deleted row.
      const store = await db.openStore();
      const t = await testApp({ store, empty: true });
      try {
        const { userId } = await t.signUp("carol");
        const maxUser = Math.max(...(dump(source).users as { id: number }[]).map((user) => user.id));
        expect(userId).toBe(maxUser + 1);
        await t.request("POST", "/category", { token: (await t.logIn("carol")).token, body: { name: "Work" } });
        const made = await t.request("POST", "/entry", {
          token: (await t.logIn("carol")).token,
          body: { category: "Work", start_time: "2026-03-01 09:00:00", end_time: "2026-03-01 10:00:00" },
        });
        const seq = (dump(source).sqlite_sequence as { name: string; seq: number }[]).find((row) => row.name === "time_entries")!.seq;
        expect(made.json<{ entry: { id: number } }>().entry.id).toBe(seq + 1);
      } finally {
        await t.close();
      }
    });
  });
});
