import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import {
  allCategories,
  allEntries,
  allUsernames,
  expectProblem,
  logEntry,
  makeCategory,
  type CategoryBody,
  type EntryBody,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

function count(statuses: readonly number[], status: number): number {
  return statuses.filter((candidate) => candidate === status).length;
}

describe("concurrent requests: exactly one winner", () => {
  const clock = new FixedClock(new Date("2026-02-11T00:00:00Z"));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("20 registrations of one name (in several cases): one 201, the rest 409 USERNAME_TAKEN", async () => {
    const name = uniqueName("Race");
    const variants = [name, name.toLowerCase(), name.toUpperCase(), ` ${name} `];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request("POST", "/register", { body: { username: variants[i % variants.length], password: `${PASSWORD}-${i}` } }),
      ),
    );
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    for (const res of responses.filter((candidate) => candidate.statusCode === 409)) expectProblem(res, 409, "USERNAME_TAKEN");
    const { token } = await t.signUp();
    const names = (await allUsernames(t, token)).filter((username) => username.toLowerCase() === name.toLowerCase());
    expect(names).toHaveLength(1);
    // Only the winner's password logs in.
    const winner = responses.findIndex((res) => res.statusCode === 201);
    expect((await t.request("POST", "/login", { body: { username: name, password: `${PASSWORD}-${winner}` } })).statusCode).toBe(200);
  });

  it("20 overlapping entries for one user: one 201, the rest 409 ENTRY_OVERLAP", async () => {
    const { token, username } = await t.signUp();
    const category = await makeCategory(t, token);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request("POST", "/entry", {
          token,
          body: {
            category: category.name,
            start_time: `2026-02-10 09:${String(i).padStart(2, "0")}:00`,
            end_time: `2026-02-10 10:${String(i).padStart(2, "0")}:00`,
          },
        }),
      ),
    );
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    for (const res of responses.filter((candidate) => candidate.statusCode === 409)) expectProblem(res, 409, "ENTRY_OVERLAP");
    expect(await allEntries(t, token, username)).toHaveLength(1);
  });

  it("20 timers for one user: one 201, the rest 409", async () => {
    const { token, username } = await t.signUp();
    const category = await makeCategory(t, token);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request("POST", "/entry", {
          token,
          body: { category: category.name, start_time: `2026-02-10 ${String(i + 1).padStart(2, "0")}:00:00` },
        }),
      ),
    );
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    const listed = await allEntries(t, token, username);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.end_time).toBeNull();
  });

  it("50 entries that do not overlap, at once: all 201, all listed, ids unique", async () => {
    const { token, username } = await t.signUp();
    const category = await makeCategory(t, token);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const start = new Date(Date.UTC(2026, 0, 1) + i * 3600_000);
        const end = new Date(start.getTime() + 3600_000);
        return t.request("POST", "/entry", {
          token,
          body: { category: category.name, start_time: start.toISOString(), end_time: end.toISOString(), note: `#${i}` },
        });
      }),
    );
    expect(responses.map((res) => res.statusCode)).toEqual(Array.from({ length: 50 }, () => 201));
    const created = responses.map((res) => res.json<{ entry: EntryBody }>().entry);
    expect(new Set(created.map((entry) => entry.id)).size).toBe(50);
    const listed = await allEntries(t, token, username);
    expect(listed).toHaveLength(50);
    expect(listed.map((entry) => entry.note)).toEqual(Array.from({ length: 50 }, (_, i) => `#${i}`));
  });

  it("several users logging the same hours at once do not block each other", async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => t.signUp()));
    const category = await makeCategory(t, (users[0] as { token: string }).token);
    const responses = await Promise.all(
      users.map((user) =>
        t.request("POST", "/entry", {
          token: user.token,
          body: { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" },
        }),
      ),
    );
    expect(responses.map((res) => res.statusCode)).toEqual(users.map(() => 201));
  });

  it("20 creations of one category (in several cases): one 201, the rest 200 with the same category", async () => {
    const { token } = await t.signUp();
    const name = uniqueName("RaceCat");
    const variants = [name, name.toLowerCase(), name.toUpperCase(), `  ${name}`];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.request("POST", "/category", { token, body: { name: variants[i % variants.length] } })),
    );
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 200)).toBe(19);
    const categories = responses.map((res) => res.json<{ category: CategoryBody }>().category);
    expect(new Set(categories.map((category) => category.id)).size).toBe(1);
    expect((await allCategories(t, token)).filter((category) => category.name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
  });

  it("10 stops of one timer: one 200, the rest 409 TIMER_NOT_RUNNING", async () => {
    const { token } = await t.signUp();
    const category = await makeCategory(t, token);
    const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.request("POST", `/entry/${timer.id}/stop`, { token })));
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 409)).toBe(9);
    for (const res of responses.filter((candidate) => candidate.statusCode === 409)) expectProblem(res, 409, "TIMER_NOT_RUNNING");
  });

  it("10 deletes of one entry: one 204, the rest 404", async () => {
    const { token, username } = await t.signUp();
    const category = await makeCategory(t, token);
    const entry = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.request("DELETE", `/entry/${entry.id}`, { token })));
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 204)).toBe(1);
    expect(count(statuses, 404)).toBe(9);
    expect(await allEntries(t, token, username)).toEqual([]);
  });

  it("20 edits moving different entries into one free slot: one 200, the rest 409", async () => {
    const { token, username } = await t.signUp();
    const category = await makeCategory(t, token);
    const entries: EntryBody[] = [];
    for (let i = 0; i < 20; i++) {
      const d = String(i + 1).padStart(2, "0");
      entries.push(await logEntry(t, token, { category: category.name, start_time: `2026-01-${d} 09:00:00`, end_time: `2026-01-${d} 10:00:00` }));
    }
    const responses = await Promise.all(
      entries.map((entry) =>
        t.request("PATCH", `/entry/${entry.id}`, { token, body: { start_time: "2026-02-01 09:00:00", end_time: "2026-02-01 10:00:00" } }),
      ),
    );
    const statuses = responses.map((res) => res.statusCode);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    const listed = await allEntries(t, token, username, "from=2026-02-01T00:00:00Z");
    expect(listed).toHaveLength(1);
  });
});
