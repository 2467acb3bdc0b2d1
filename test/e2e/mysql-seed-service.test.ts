import { afterAll, describe, expect, it } from "vitest";
import {
  buildSeedDatabase,
  createTestDatabase,
  mysqlAvailable,
  SEED_CATEGORIES,
  SEED_ENTRIES,
  SEED_USERS,
  seedHashes,
  type SeedForm,
  type TestDatabase,
} from "../support/mysql-database.js";
import { callService, startService, type Json, type ServiceProcess } from "../support/service-process.js";
import { users } from "../support/users-command.js";

const call = (base: string, method: string, path: string, body?: unknown, token?: string) =>
  callService(base, method, path, body, token, 15_000);


const rfc = (seedTime: string) => `${seedTime.replace(" ", "T")}Z`;

describe.skipIf(!mysqlAvailable)("the service started on a database the seed's service left", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each<SeedForm>(["schema.sql", "readme"])(
    "(%s form): every row kept, old users log in with old passwords, entries listed, new entries and timers work, and teams work once the operator names an owner",
    async (form) => {
      const db: TestDatabase = await createTestDatabase(`seed_service_${form}`);
      cleanups.push(() => db.drop());
      const connection = await db.connect();
      cleanups.push(() => connection.end());
      await buildSeedDatabase(connection, { form, hashes: await seedHashes() });
      const [before] = await connection.query(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM category) AS categories, (SELECT COUNT(*) FROM time_entries) AS entries",
      );

      const c = db.config();
      const service: ServiceProcess = await startService(
        { DB_HOST: c.host, DB_PORT: String(c.port), DB_USER: c.user, DB_PASSWORD: c.password, DB_NAME: c.database, LOG_LEVEL: "warn" },
        40_000,
      );
      cleanups.push(async () => void (await service.stop()));
      const base = service.url;

      const [after] = await connection.query(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM category) AS categories, (SELECT COUNT(*) FROM time_entries) AS entries",
      );
      expect(after).toEqual(before);
      expect((after as Json[])[0]).toMatchObject({ users: SEED_USERS.length, categories: SEED_CATEGORIES.length, entries: SEED_ENTRIES.length });

      // Every old user logs in with the password they always had.
      const tokens = new Map<string, string>();
      for (const user of SEED_USERS) {
        const login = await call(base, "POST", "/login", { username: user.username, password: user.password });
        expect(login.status, JSON.stringify(login.json)).toBe(200);
        expect(login.json).toMatchObject({ message: "Login successful", authenticated: true, username: user.username });
        tokens.set(user.username, login.json.token as string);
        expect((await call(base, "POST", "/login", { username: user.username, password: `${user.password}x` })).status).toBe(401);
      }
      // ...and is now stored with argon2id.
      const [hashes] = await connection.query("SELECT username, CONVERT(pwd_hash USING utf8mb4) AS hash FROM users");
      for (const row of hashes as Json[]) expect(String(row.hash)).toMatch(/^\$argon2id\$/);

      // Their entries are listed, overlapping seed rows included, oldest first.
      const john = tokens.get("john") as string;
      const johns = await call(base, "GET", "/entries/john", undefined, john);
      expect(johns.status).toBe(200);
      expect(johns.json.entries.map((e: Json) => [e.category, e.start_time, e.end_time])).toEqual(
        SEED_ENTRIES.filter((e) => e.username === "john").map((e) => [e.category, rfc(e.start), rfc(e.end)]),
      );
      const jurgen = await call(base, "GET", `/entries/${encodeURIComponent("Jürgen")}`, undefined, tokens.get("Jürgen"));
      expect(jurgen.json.entries).toHaveLength(2);
      const categories = await call(base, "GET", "/category", undefined, john);
      expect(categories.json.categories.map((cat: Json) => cat.name)).toEqual(["Café", "Meetings", "Work"]);

      // New entries (seed rules now enforced) and timers work.
      const entry = await call(base, "POST", "/entry", { username: "john", category: "Work", start_time: "2026-02-12 09:00:00", end_time: "2026-02-12 10:00:00", note: "after the move" }, john);
      expect(entry.status, JSON.stringify(entry.json)).toBe(201);
      expect((await call(base, "POST", "/entry", { category: "work", start_time: "2026-02-10 10:00:00", end_time: "2026-02-10 10:30:00" }, john)).status).toBe(409);
      const timer = await call(base, "POST", "/entry", { category: "Meetings", start_time: new Date(Date.now() - 600_000).toISOString() }, john);
      expect(timer.status, JSON.stringify(timer.json)).toBe(201);
      expect(timer.json.entry.end_time).toBeNull();
      const stopped = await call(base, "POST", `/entry/${timer.json.entry.id}/stop`, {}, john);
      expect(stopped.status).toBe(200);
      expect(stopped.json.entry.duration_seconds).toBeGreaterThanOrEqual(600);

      // A new user registers beside the old ones.
      expect((await call(base, "POST", "/register", { username: "newcomer", password: "a-new-password" })).status).toBe(201);
      expect((await call(base, "POST", "/register", { username: "JOHN", password: "a-new-password" })).status).toBe(409);

      // Teams on the upgraded database: the seed's users are members and nobody owns the
      // instance, until the operator names an owner with the users command.
      expect((await call(base, "GET", "/me", undefined, john)).json.role).toBe("member");
      expect((await call(base, "POST", "/teams", { name: "Crew" }, john)).status).toBe(403);
      const env = { DB_HOST: c.host, DB_PORT: String(c.port), DB_USER: c.user, DB_PASSWORD: c.password, DB_NAME: c.database };
      const named = await users(env, ["set-role", "john", "owner"]);
      expect(named.code, named.stderr).toBe(0);
      expect((await call(base, "GET", "/me", undefined, john)).json.role).toBe("owner");
      const team = await call(base, "POST", "/teams", { name: "Crew" }, john);
      expect(team.status, JSON.stringify(team.json)).toBe(201);
      const teamId = team.json.team.id as number;
      const jurgenToken = tokens.get("Jürgen") as string;
      const ann = tokens.get("ann.o'hara") as string;
      for (const [username, lead] of [["Jürgen", false], ["ann.o'hara", true]] as const) {
        const put = await call(base, "PUT", `/teams/${teamId}/members/${encodeURIComponent(username)}`, { lead }, john);
        expect(put.status, JSON.stringify(put.json)).toBe(200);
      }
      const client = await call(base, "POST", "/clients", { name: "Kunde" }, john);
      const project = await call(base, "POST", "/projects", { name: "Relaunch", client_id: client.json.client.id, hourly_rate_cents: 12000 }, john);
      expect(project.status, JSON.stringify(project.json)).toBe(201);
      const booked = await call(
        base,
        "POST",
        "/entry",
        { category: "Café", start_time: "2026-01-06 09:00:00", end_time: "2026-01-06 10:30:00", project_id: project.json.project.id, tags: ["Kick-off"] },
        jurgenToken,
      );
      expect(booked.status, JSON.stringify(booked.json)).toBe(201);
      expect(booked.json.entry).toMatchObject({ project: "Relaunch", client: "Kunde", tags: ["Kick-off"], billable: true, amount_cents: 18000 });
      // The lead reads the team's week: the seed's entries (no project) and the new one (billable).
      const week = await call(
        base,
        "GET",
        `/reports/summary?from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z&team_id=${teamId}&group_by=project`,
        undefined,
        ann,
      );
      expect(week.status, JSON.stringify(week.json)).toBe(200);
      expect(week.json.groups.map((g: Json) => [g.key, g.amount_cents])).toEqual([["Relaunch", 18000], [null, 0]]);
      expect(week.json.amount_cents).toBe(18000);
      expect((await call(base, "GET", `/reports/summary?from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z&team_id=${teamId}`, undefined, jurgenToken)).status).toBe(403);
      expect(await service.stop()).toBe(0);
    },
    90_000,
  );
});
