import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FixedClock, plainHash } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import {
  allUsernames,
  expectProblem,
  expectValidationError,
  RFC3339_UTC,
  sendJson,
  type ProblemBody,
  type UserListBody,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

interface Registration {
  message: string;
  user_id: number;
  username: string;
  created_at: string;
}

interface LoginBody {
  message: string;
  authenticated: boolean;
  user_id: number;
  username: string;
  token: string;
  token_type: string;
  expires_at: string;
}

/** Every route behind the token, with a body it would otherwise accept or at least parse. */
const PROTECTED: readonly { method: string; url: string; body?: object }[] = [
  { method: "POST", url: "/logout" },
  { method: "GET", url: "/me" },
  { method: "GET", url: "/users" },
  { method: "POST", url: "/category", body: { name: "Work" } },
  { method: "GET", url: "/category" },
  { method: "POST", url: "/entry", body: { category: "Work", start_time: "2026-02-10 09:00:00" } },
  { method: "POST", url: "/entry/1/stop", body: {} },
  { method: "GET", url: "/entry/1" },
  { method: "PATCH", url: "/entry/1", body: { note: "x" } },
  { method: "DELETE", url: "/entry/1" },
  { method: "GET", url: "/entries/someone" },
  { method: "GET", url: "/entries/someone?format=csv" },
];

function expectUnauthenticated(res: Parameters<typeof expectProblem>[0]): ProblemBody {
  const body = expectProblem(res, 401, "UNAUTHENTICATED");
  expect(String(res.headers["www-authenticate"])).toMatch(/^Bearer\b/);
  return body;
}

describe("users and sessions", () => {
  const clock = new FixedClock(new Date("2026-02-10T08:00:00.750Z"));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  describe("POST /register", () => {
    it("answers 201 with the seed's fields and the creation time in RFC 3339 UTC, whole seconds", async () => {
      const username = uniqueName("reg");
      const res = await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      expect(res.statusCode).toBe(201);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["x-request-id"]).toBeTruthy();
      const body = res.json<Registration>();
      expect(Object.keys(body).sort()).toEqual(["created_at", "message", "user_id", "username"]);
      expect(body.message).toBe("User registered successfully");
      expect(Number.isInteger(body.user_id)).toBe(true);
      expect(body.user_id).toBeGreaterThan(0);
      expect(body.username).toBe(username);
      expect(body.created_at).toBe("2026-02-10T08:00:00Z");
      expect(res.body).not.toContain(PASSWORD);
      expect(res.body).not.toMatch(/hash|salt/i);
    });

    it("stores the name trimmed, as first written", async () => {
      const username = uniqueName("Trim");
      const res = await t.request("POST", "/register", { body: { username: `  ${username}  `, password: PASSWORD } });
      expect(res.statusCode).toBe(201);
      expect(res.json<Registration>().username).toBe(username);
      const login = await t.request("POST", "/login", { body: { username: username.toLowerCase(), password: PASSWORD } });
      expect(login.statusCode).toBe(200);
      expect(login.json<LoginBody>().username).toBe(username);
    });

    it("answers 409 USERNAME_TAKEN for a name that exists, in any case", async () => {
      const username = uniqueName("Taken");
      expect((await t.request("POST", "/register", { body: { username, password: PASSWORD } })).statusCode).toBe(201);
      for (const again of [username, username.toUpperCase(), username.toLowerCase(), ` ${username} `]) {
        const res = await t.request("POST", "/register", { body: { username: again, password: "another password" } });
        expectProblem(res, 409, "USERNAME_TAKEN");
      }
      // The first registration still holds: its password logs in, the others' does not.
      expect((await t.request("POST", "/login", { body: { username, password: PASSWORD } })).statusCode).toBe(200);
      expectProblem(
        await t.request("POST", "/login", { body: { username, password: "another password" } }),
        401,
        "INVALID_CREDENTIALS",
      );
    });

    it("accepts names of 3 to 100 letters, digits, '.', '_' and '-'", async () => {
      const suffix = uniqueName("").slice(1);
      for (const username of [`a.${suffix}`.slice(0, 3), `A-b_c.9${suffix}`, `x${suffix}`.padEnd(100, "z")]) {
        const res = await t.request("POST", "/register", { body: { username, password: PASSWORD } });
        expect(res.statusCode, `${username}: ${res.body}`).toBe(201);
      }
    });

    it.each([
      ["too short", "ab"],
      ["too long", "a".repeat(101)],
      ["empty", ""],
      ["only spaces", "     "],
      ["a space inside", "john smith"],
      ["a slash", "john/smith"],
      ["an at sign", "john@example.com"],
      ["a letter outside ASCII", "jöhn_doe"],
      ["an emoji", "john😀doe"],
      ["a NUL", "john\u0000doe"],
      ["a quote", "o'brien"],
    ])("answers 400 for a name with %s", async (_label, username) => {
      const res = await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      expectValidationError(res, "/username");
    });

    it("accepts passwords of 8 to 256 characters, counted as characters", async () => {
      for (const password of ["12345678", "p".repeat(256), "😀".repeat(8), "😀".repeat(256)]) {
        const username = uniqueName("pw");
        const res = await t.request("POST", "/register", { body: { username, password } });
        expect(res.statusCode, res.body).toBe(201);
        expect((await t.request("POST", "/login", { body: { username, password } })).statusCode).toBe(200);
      }
    });

    it.each([
      ["7 characters", "1234567"],
      ["257 characters", "p".repeat(257)],
      ["empty", ""],
      ["7 emoji (14 UTF-16 units)", "😀".repeat(7)],
    ])("answers 400 for a password of %s, and keeps nothing", async (_label, password) => {
      const username = uniqueName("pw");
      expectValidationError(await t.request("POST", "/register", { body: { username, password } }), "/password");
      // The name is still free.
      expect((await t.request("POST", "/register", { body: { username, password: PASSWORD } })).statusCode).toBe(201);
    });

    it("answers 400 naming the missing field", async () => {
      expectValidationError(await t.request("POST", "/register", { body: { username: uniqueName("m") } }), "/password");
      expectValidationError(await t.request("POST", "/register", { body: { password: PASSWORD } }), "/username");
    });
  });

  describe("POST /login", () => {
    it("answers 200 with the seed's fields, a bearer token and its expiry (24 h by default)", async () => {
      const username = uniqueName("login");
      const registered = (await t.request("POST", "/register", { body: { username, password: PASSWORD } })).json<Registration>();
      const res = await t.request("POST", "/login", { body: { username, password: PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<LoginBody>();
      expect(Object.keys(body).sort()).toEqual([
        "access_token",
        "authenticated",
        "expires_at",
        "message",
        "token",
        "token_type",
        "user_id",
        "username",
      ]);
      expect(body.message).toBe("Login successful");
      expect(body.authenticated).toBe(true);
      expect(body.user_id).toBe(registered.user_id);
      expect(body.username).toBe(username);
      expect(body.token_type).toBe("Bearer");
      expect(typeof body.token).toBe("string");
      // At least 256 bits of randomness: 43 base64url characters or 64 hex digits.
      expect(body.token.length).toBeGreaterThanOrEqual(43);
      expect(body.expires_at).toMatch(RFC3339_UTC);
      expect(body.expires_at).toBe("2026-02-11T08:00:00Z");
      expect(res.body).not.toContain(PASSWORD);
    });

    it("gives a new token at every login, each of which works", async () => {
      const username = uniqueName("twice");
      await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      const first = (await t.request("POST", "/login", { body: { username, password: PASSWORD } })).json<LoginBody>();
      const second = (await t.request("POST", "/login", { body: { username, password: PASSWORD } })).json<LoginBody>();
      expect(first.token).not.toBe(second.token);
      expect((await t.request("GET", "/me", { token: first.token })).statusCode).toBe(200);
      expect((await t.request("GET", "/me", { token: second.token })).statusCode).toBe(200);
    });

    it("finds the user case-insensitively and answers with the name as stored", async () => {
      const username = uniqueName("CaseUser");
      await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      const res = await t.request("POST", "/login", { body: { username: username.toUpperCase(), password: PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.json<LoginBody>().username).toBe(username);
    });

    it("answers 401 INVALID_CREDENTIALS with the same body for an unknown user and a wrong password", async () => {
      const { username } = await t.signUp();
      const unknown = await t.request("POST", "/login", { body: { username: uniqueName("ghost"), password: PASSWORD } });
      const wrong = await t.request("POST", "/login", { body: { username, password: `${PASSWORD}!` } });
      const unknownBody = expectProblem(unknown, 401, "INVALID_CREDENTIALS");
      const wrongBody = expectProblem(wrong, 401, "INVALID_CREDENTIALS");
      expect(wrongBody).toStrictEqual(unknownBody);
      expect(wrong.headers["content-type"]).toBe(unknown.headers["content-type"]);
      expect(unknown.body).not.toMatch(/not exist|unknown user|no such user/i);
    });

    it("does not trim or fold the password", async () => {
      const { username } = await t.signUp();
      for (const password of [` ${PASSWORD}`, `${PASSWORD} `, PASSWORD.toUpperCase()]) {
        expectProblem(await t.request("POST", "/login", { body: { username, password } }), 401, "INVALID_CREDENTIALS");
      }
    });

    it("keeps only a hash of the token, never the token itself", async () => {
      const { username } = await t.signUp();
      const add = vi.spyOn(t.store.sessions, "add");
      try {
        const login = (await t.request("POST", "/login", { body: { username, password: PASSWORD } })).json<LoginBody>();
        expect(add).toHaveBeenCalledTimes(1);
        const stored = JSON.stringify(add.mock.calls[0]?.[0]);
        expect(stored).not.toContain(login.token);
      } finally {
        add.mockRestore();
      }
    });

    it("answers 400 for a body without its fields", async () => {
      expectValidationError(await t.request("POST", "/login", { body: { username: "someone" } }), "/password");
      expectValidationError(await t.request("POST", "/login", { body: { password: PASSWORD } }), "/username");
    });
  });

  describe("the bearer token", () => {
    it.each(PROTECTED)("is required by $method $url (401 UNAUTHENTICATED with www-authenticate)", async ({ method, url, body }) => {
      expectUnauthenticated(await t.request(method, url, body === undefined ? {} : { body }));
    });

    it("is refused when garbled, unknown or sent under another scheme", async () => {
      const { token } = await t.signUp();
      for (const authorization of [
        "Bearer",
        "Bearer ",
        "Bearer not a token",
        `Bearer ${token}x`,
        `Bearer ${token.slice(1)}`,
        `Basic ${Buffer.from(`x:${PASSWORD}`).toString("base64")}`,
        token,
        `Bearer ${"a".repeat(1000)}`,
        "Bearer \u00e9\u00e9\u00e9",
      ]) {
        const res = await t.request("GET", "/me", { headers: { authorization } });
        expectUnauthenticated(res);
      }
    });

    it("is checked before the body: an unauthenticated bad request learns nothing", async () => {
      expectUnauthenticated(await sendJson(t, "POST", "/entry", "{not json"));
      expectUnauthenticated(await t.request("POST", "/category", { body: { unknown: 1 } }));
    });

    it("stops working at once after POST /logout (204), which cannot be repeated with it", async () => {
      const { token } = await t.signUp();
      expect((await t.request("GET", "/me", { token })).statusCode).toBe(200);
      const out = await t.request("POST", "/logout", { token });
      expect(out.statusCode).toBe(204);
      expect(out.body).toBe("");
      expect(out.headers["x-request-id"]).toBeTruthy();
      expectUnauthenticated(await t.request("GET", "/me", { token }));
      expectUnauthenticated(await t.request("GET", "/category", { token }));
      expectUnauthenticated(await t.request("POST", "/logout", { token }));
    });
  });

  describe("accounts carried over from a seed database", () => {
    it("log in with names and passwords today's rules would refuse, and use every route", async () => {
      for (const username of [`Jöhn Smith ${uniqueName("")}`, `${"é".repeat(80)}${uniqueName("")}`, `a/b ${uniqueName("")}`]) {
        await t.store.users.add({ username, passwordHash: plainHash("short"), createdAt: new Date("2020-01-01T00:00:00Z") });
        const login = await t.request("POST", "/login", { body: { username: username.toUpperCase(), password: "short" } });
        expect(login.statusCode, login.body).toBe(200);
        const { token, user_id } = login.json<LoginBody>();
        expect((await t.request("GET", "/me", { token })).json()).toStrictEqual({
          user_id,
          username,
          created_at: "2020-01-01T00:00:00Z",
          role: "member",
          totp_enabled: false,
        });
        const category = (
          await t.request("POST", "/category", { token, body: { name: uniqueName("legacy") } })
        ).json<{ category: { name: string } }>().category;
        const entry = await t.request("POST", "/entry", {
          token,
          body: { username, category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" },
        });
        expect(entry.statusCode, entry.body).toBe(201);
        const list = await t.request("GET", `/entries/${encodeURIComponent(username)}`, { token });
        expect(list.statusCode, list.body).toBe(200);
        expect(list.json<{ username: string; entries: unknown[] }>()).toMatchObject({ username, entries: [expect.anything()] });
        const csv = await t.request("GET", `/entries/${encodeURIComponent(username)}?format=csv`, { token });
        expect(csv.statusCode).toBe(200);
        expect(csv.body).toContain(username);
      }
    });
  });

  describe("token lifetime", () => {
    it("is 24 hours by default, not a second less", async () => {
      const { token } = await t.signUp();
      const start = clock.now();
      try {
        clock.advanceSeconds(24 * 3600 - 1);
        expect((await t.request("GET", "/me", { token })).statusCode).toBe(200);
        clock.advanceSeconds(1);
        expectUnauthenticated(await t.request("GET", "/me", { token }));
      } finally {
        clock.set(start);
      }
    });
  });

  describe("GET /me", () => {
    it("answers 200 with the caller's id, name, creation time, role and whether two-factor login is on", async () => {
      const { token, username, userId } = await t.signUp();
      const res = await t.request("GET", "/me", { token });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toStrictEqual({
        user_id: userId,
        username,
        created_at: "2026-02-10T08:00:00Z",
        role: "member",
        totp_enabled: false,
      });
    });
  });

  describe("GET /users", () => {
    it("lists ids, names, roles and whether active, wrapped in an object, never a hash, salt or (to a member) a rate", async () => {
      const { token, username, userId } = await t.signUp();
      const res = await t.request("GET", "/users?limit=1000", { token });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<UserListBody>();
      expect(Object.keys(body).sort()).toEqual(["next_cursor", "users"]);
      expect(Array.isArray(body.users)).toBe(true);
      for (const user of body.users) {
        expect(Object.keys(user).sort()).toEqual(["active", "id", "role", "username"]);
        expect(Number.isInteger(user.id)).toBe(true);
        expect(typeof user.username).toBe("string");
      }
      expect(body.users).toContainEqual({ id: userId, username, role: "member", active: true });
      // The raw text, not just the parsed shape: no hash, salt or password anywhere.
      expect(res.body).not.toMatch(/hash|salt|password|pwd|plain:|\$2[aby]\$|\$argon2/i);
      expect(res.body).not.toContain(PASSWORD);
    });
  });
});

describe("GET /users pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("walks every user once, in id order, with limit and cursor, including users added between pages", async () => {
    const { token } = await t.signUp();
    for (let i = 0; i < 6; i++) await t.signUp();
    const seen: number[] = [];
    const first = (await t.request("GET", "/users?limit=3", { token })).json<UserListBody>();
    expect(first.users).toHaveLength(3);
    expect(typeof first.next_cursor).toBe("string");
    seen.push(...first.users.map((user) => user.id));
    const late = await t.signUp();
    let cursor = first.next_cursor;
    while (cursor !== null) {
      const res = await t.request("GET", `/users?limit=3&cursor=${encodeURIComponent(cursor)}`, { token });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<UserListBody>();
      expect(page.users.length).toBeLessThanOrEqual(3);
      seen.push(...page.users.map((user) => user.id));
      cursor = page.next_cursor;
    }
    // The owner the app starts with, the seven signed up first, and the one added between pages.
    expect(seen).toHaveLength(1 + 7 + 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen).toContain(late.userId);
  });

  it("answers next_cursor null when everything fits, and defaults the limit to 100", async () => {
    const { token } = await t.signUp();
    const body = (await t.request("GET", "/users", { token })).json<UserListBody>();
    expect(body.next_cursor).toBeNull();
    expect(body.users.length).toBeGreaterThan(0);
  });

  it("gives at most 100 users per page by default", async () => {
    const { token } = await t.signUp();
    const existing = (await allUsernames(t, token)).length;
    for (let i = existing; i <= 101; i++) await t.signUp();
    const body = (await t.request("GET", "/users", { token })).json<UserListBody>();
    expect(body.users).toHaveLength(100);
    expect(body.next_cursor).not.toBeNull();
  });

  it.each(["0", "1001", "-1", "abc", "1.5", ""])("answers 400 for limit=%s", async (limit) => {
    const { token } = await t.signUp();
    expectValidationError(await t.request("GET", `/users?limit=${limit}`, { token }), "/limit");
  });

  it.each(["garbage", "eyJ4IjoxfQ", "W10", "WyJhIl0", "Wy0xXQ", "%00"])("answers 400 for cursor=%s", async (cursor) => {
    const { token } = await t.signUp();
    expectValidationError(await t.request("GET", `/users?cursor=${cursor}`, { token }), "/cursor");
  });

  it("answers 400 naming an unknown query parameter", async () => {
    const { token } = await t.signUp();
    expectValidationError(await t.request("GET", "/users?offset=10", { token }), "/offset");
  });
});

describe("token lifetime set by SESSION_TTL_SECONDS", () => {
  it("expires after SESSION_TTL_SECONDS, not a second before", async () => {
    const clock = new FixedClock(new Date("2026-02-10T08:00:00Z"));
    const t = await testApp({ overrides: { clock }, env: { SESSION_TTL_SECONDS: "60" } });
    try {
      const username = uniqueName("ttl");
      await t.request("POST", "/register", { body: { username, password: PASSWORD } });
      const login = (await t.request("POST", "/login", { body: { username, password: PASSWORD } })).json<LoginBody>();
      expect(login.expires_at).toBe("2026-02-10T08:01:00Z");
      clock.advanceSeconds(59);
      expect((await t.request("GET", "/me", { token: login.token })).statusCode).toBe(200);
      clock.advanceSeconds(1);
      expectUnauthenticated(await t.request("GET", "/me", { token: login.token }));
    } finally {
      await t.close();
    }
  });
});
