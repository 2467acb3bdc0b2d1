import { RandomTokenGenerator } from "../../src/adapters/security/random-token-generator.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { CreateCategory } from "../../src/application/create-category.js";
import { bookingLookups } from "../../src/application/entry-booking.js";
import { LogTimeEntry } from "../../src/application/log-time-entry.js";
import { RegisterUser } from "../../src/application/register-user.js";
import { StopTimer } from "../../src/application/stop-timer.js";
import {
  ClientNameTaken,
  EntryOverlap,
  InvalidCredentials,
  LastOwner,
  ProjectNameTaken,
  TimerAlreadyRunning,
  UsernameTaken,
} from "../../src/domain/errors.js";
import { Secret, TOTP } from "otpauth";
import { AccountGuard, DeleteAccount, SecondFactor } from "../../src/application/accounts.js";
import { LogIn } from "../../src/application/log-in.js";
import { OtpauthTotpAuthenticator } from "../../src/adapters/identity/otpauth-totp.js";
import { CountedLoginThrottle } from "../../src/application/attempt-limits.js";
import { normalizeRecoveryCode } from "../../src/domain/two-factor.js";
import type { User } from "../../src/domain/user.js";
import { FixedClock, PlainTextHasher } from "../support/fakes.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { uniqueName } from "../support/names.js";

/**
 * Two stores with pools of their own on one database: what two processes behind a load balancer
 * are. Every race goes through the real use cases, half the attempts through each store.
 */
describe.skipIf(!mysqlAvailable)("MySQL under concurrent requests from two processes", () => {
  let database: TestDatabase;
  let stores: [MySqlStore, MySqlStore];
  const clock = new FixedClock(new Date("2026-02-10T18:00:00Z"));
  const hasher = new PlainTextHasher();
  const tokens = new RandomTokenGenerator();

  beforeAll(async () => {
    database = await createTestDatabase("races");
    const first = await database.openStore({ poolSize: 4 });
    const second = await database.openStore({ poolSize: 4, migrate: false });
    stores = [first, second];
  });
  afterAll(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await database?.drop();
  });

  const storeFor = (i: number): MySqlStore => stores[i % 2] as MySqlStore;

  async function aUser(): Promise<User> {
    return new RegisterUser(stores[0].transactor, hasher, tokens, clock, "open").execute({ username: uniqueName("racer"), password: "password-123" });
  }

  async function aCategory(): Promise<string> {
    const name = uniqueName("Race");
    await new CreateCategory(stores[0].categories).execute({ name });
    return name;
  }

  function rejections(results: PromiseSettledResult<unknown>[]): unknown[] {
    return results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
  }

  async function countEntries(userId: number): Promise<number> {
    const entries = await stores[1].entries.listByUser(userId, { from: null, to: null, categoryId: null, after: null, limit: 1000 });
    return entries.length;
  }

  it("of 20 concurrent registrations of one name, exactly one wins; the rest are USERNAME_TAKEN", async () => {
    const username = uniqueName("taken");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        // Different cases on purpose: the unique index compares as the service does.
        new RegisterUser(storeFor(i).transactor, hasher, tokens, clock, "open").execute({
          username: i % 3 === 0 ? username.toUpperCase() : username,
          password: "password-123",
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = rejections(results);
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect(failure).toBeInstanceOf(UsernameTaken);
  });

  it("of 20 concurrent overlapping entries for one user, exactly one is stored", async () => {
    const user = await aUser();
    const category = await aCategory();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        new LogTimeEntry(bookingLookups(storeFor(i), clock), storeFor(i).transactor).execute({
          actor: user,
          category,
          startTime: `2026-02-10 09:${String(i).padStart(2, "0")}:00`,
          endTime: `2026-02-10 10:${String(i).padStart(2, "0")}:00`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const failure of rejections(results)) expect(failure).toBeInstanceOf(EntryOverlap);
    expect(await countEntries(user.id)).toBe(1);
  });

  it("of 20 concurrent timer starts for one user, exactly one runs", async () => {
    const user = await aUser();
    const category = await aCategory();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        new LogTimeEntry(bookingLookups(storeFor(i), clock), storeFor(i).transactor).execute({
          actor: user,
          category,
          startTime: `2026-02-10 17:${String(i).padStart(2, "0")}:00`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const failure of rejections(results)) {
      expect(failure instanceof TimerAlreadyRunning || failure instanceof EntryOverlap).toBe(true);
    }
    expect(await countEntries(user.id)).toBe(1);
    const running = await stores[0].entries.findRunning(user.id);
    // Stopping it twice at once: one stops it, the other finds it no longer running.
    const stops = await Promise.allSettled(
      [0, 1].map((i) => new StopTimer(storeFor(i).settings, storeFor(i).transactor, clock).execute({ actor: user, entryId: running?.id ?? 0 })),
    );
    expect(stops.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejections(stops)[0]).toMatchObject({ code: "TIMER_NOT_RUNNING" });
  });

  it("stores all of 200 concurrent entries that do not overlap", async () => {
    const user = await aUser();
    const category = await aCategory();
    const base = Date.parse("2026-02-09T00:00:00Z");
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => {
        const start = base + i * 5 * 60_000;
        return new LogTimeEntry(bookingLookups(storeFor(i), clock), storeFor(i).transactor).execute({
          actor: user,
          category,
          startTime: iso(start),
          endTime: iso(start + 5 * 60_000),
          note: `entry ${i}`,
        });
      }),
    );
    expect(rejections(results)).toEqual([]);
    expect(await countEntries(user.id)).toBe(200);
  });

  it("of 10 concurrent creations of one category (different case), all answer with the one that was made", async () => {
    const name = uniqueName("Shared");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        new CreateCategory(storeFor(i).categories).execute({ name: i % 2 === 0 ? name : name.toUpperCase() }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.category.id)).size).toBe(1);
  });

  it("of 10 concurrent entries bringing one new tag (different case) from two processes, one tag is made", async () => {
    const category = await aCategory();
    const tag = uniqueName("Tag");
    const racers = await Promise.all(Array.from({ length: 10 }, () => aUser()));
    const results = await Promise.allSettled(
      racers.map((user, i) =>
        new LogTimeEntry(bookingLookups(storeFor(i), clock), storeFor(i).transactor).execute({
          actor: user,
          category,
          startTime: "2026-02-10T09:00:00Z",
          endTime: "2026-02-10T10:00:00Z",
          tags: [i % 2 ? tag : tag.toUpperCase(), `${tag}-other`],
        }),
      ),
    );
    expect(rejections(results)).toEqual([]);
    const tags = (await stores[1].tags.list()).filter((t) => t.name.toLowerCase().startsWith(tag.toLowerCase()));
    expect(tags).toHaveLength(2);
    const ids = new Set(results.flatMap((r) => (r.status === "fulfilled" ? r.value.tags : [])));
    expect(ids.size).toBe(2);
  });

  it("of 10 concurrent creations of one client name, and of one project name under one client, one each wins", async () => {
    const name = uniqueName("Client");
    const clients = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => storeFor(i).clients.add(i % 2 ? name : name.toUpperCase())));
    expect(clients.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const failure of rejections(clients)) expect(failure).toBeInstanceOf(ClientNameTaken);
    const client = (await stores[0].clients.list({ includeArchived: true })).find((c) => c.name.toLowerCase() === name.toLowerCase());
    const project = uniqueName("Project");
    const projects = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        storeFor(i).projects.add({ name: project, clientId: client?.id ?? null, color: null, billable: true, hourlyRateCents: null }),
      ),
    );
    expect(projects.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const failure of rejections(projects)) expect(failure).toBeInstanceOf(ProjectNameTaken);
  });
  it("of 10 concurrent logins with one TOTP code or one recovery code from two processes, one each wins", async () => {
    const user = await aUser();
    const secret = new Secret({ size: 20 }).base32;
    await stores[0].twoFactor.savePending(user.id, `plain:${secret}`, clock.now());
    const recovery = "abcd-efgh-ijkl-mnop";
    await stores[0].twoFactor.enable(user.id, 0, [tokens.hashOf(normalizeRecoveryCode(recovery))], clock.now());
    const logInOn = (i: number) => {
      const store = storeFor(i);
      const secondFactor = new SecondFactor(store.twoFactor, new OtpauthTotpAuthenticator(null), tokens, clock);
      return new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, new CountedLoginThrottle(store.attempts, 0), secondFactor);
    };
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
    for (const totpCode of [code, recovery]) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => logInOn(i).execute({ username: user.username, password: "password-123", totpCode })),
      );
      expect(results.filter((r) => r.status === "fulfilled"), totpCode).toHaveLength(1);
      expect(rejections(results).every((reason) => reason instanceof InvalidCredentials)).toBe(true);
    }
  });

  it("of two owners deleting themselves at once through two processes, one goes: LAST_OWNER for the other", async () => {
    const owners = [await aUser(), await aUser()];
    // Every other owner of this database leaves the role, so these two are its only active owners.
    for (const owner of owners) await stores[0].users.update(owner.id, { role: "owner" });
    const others = (await stores[0].users.list({ afterId: null, limit: 1000 })).filter(
      (user) => user.role === "owner" && !owners.some((owner) => owner.id === user.id),
    );
    for (const other of others) await stores[0].users.update(other.id, { role: "member" });
    const results = await Promise.allSettled(
      owners.map((owner, i) => {
        const store = storeFor(i);
        const guard = new AccountGuard(hasher, new SecondFactor(store.twoFactor, new OtpauthTotpAuthenticator(null), tokens, clock), new CountedLoginThrottle(store.attempts, 0), clock);
        return new DeleteAccount(guard, store.transactor).execute({ actor: { ...owner, role: "owner" }, password: "password-123" });
      }),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejections(results)[0]).toBeInstanceOf(LastOwner);
    expect(await stores[1].users.countActiveOwners()).toBe(1);
  });
});
