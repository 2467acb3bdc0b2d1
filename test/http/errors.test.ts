import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app.js";
import { openTestStore } from "../support/stores.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { StoreUnavailable, type Store } from "../../src/application/ports/store.js";
import { FixedClock, PlainTextHasher } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import {
  allCategories,
  allEntries,
  expectClientError,
  expectProblem,
  expectValidationError,
  logEntry,
  makeCategory,
  sendJson,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

describe("cross-cutting behaviour", () => {
  let store: Store;
  const clock = new FixedClock(new Date("2026-02-11T00:00:00Z"));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
    store = t.store;
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe("x-request-id", () => {
    it("is on every response: success, 204, 4xx, 404 route, 413, 415, malformed JSON, CSV, docs", async () => {
      const { token, username } = await t.signUp();
      const big = JSON.stringify({ name: "x".repeat(20_000) });
      const responses = [
        await t.request("GET", "/health"),
        await t.request("POST", "/register", { body: { username: uniqueName("rid"), password: PASSWORD } }),
        await t.request("GET", "/me", { token }),
        await t.request("GET", "/me"),
        await t.request("GET", "/no/such/route"),
        await sendJson(t, "POST", "/category", big, token),
        await t.request("POST", "/category", { token, body: "name=x", headers: { "content-type": "text/plain" } }),
        await sendJson(t, "POST", "/category", "{oops", token),
        await t.request("POST", "/category", { token, body: { nope: 1 } }),
        await t.request("GET", `/entries/${username}?format=csv`, { token }),
        await t.request("GET", "/openapi.json"),
        await t.request("GET", "/entry/abc", { token }),
        await t.request("POST", "/logout", { token }),
      ];
      for (const res of responses) {
        expect(res.headers["x-request-id"], `${res.statusCode} ${res.body.slice(0, 80)}`).toMatch(REQUEST_ID);
      }
      const ids = responses.map((res) => res.headers["x-request-id"]);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it.each(["abc-123", "req:1.2_3", "A".repeat(64), "0f8fad5b-d9cb-469f-a165-70867728950e"])(
      "echoes a well-formed incoming id (%s)",
      async (id) => {
        const ok = await t.request("GET", "/health", { headers: { "x-request-id": id } });
        expect(ok.headers["x-request-id"]).toBe(id);
        const refused = await t.request("GET", "/me", { headers: { "x-request-id": id } });
        expect(refused.headers["x-request-id"]).toBe(id);
      },
    );

    it.each(["has space", "A".repeat(65), "<script>", "a,b", "semi;colon", "", "caf\u00e9", "quote\"d"])(
      "replaces a malformed incoming id (%j)",
      async (id) => {
        const res = await t.request("GET", "/health", { headers: { "x-request-id": id } });
        const answered = res.headers["x-request-id"];
        expect(answered).toMatch(REQUEST_ID);
        expect(answered).not.toBe(id);
      },
    );
  });

  describe("routes", () => {
    it("answers 404 NOT_FOUND problem+json for an unknown route, with or without a token", async () => {
      const { token } = await t.signUp();
      for (const url of ["/nope", "/entries", "/entry/1/start", "/category/1", "/users/1", "/reports", "/health/x"]) {
        expectProblem(await t.request("GET", url), 404, "NOT_FOUND");
        expectProblem(await t.request("GET", url, { token }), 404, "NOT_FOUND");
      }
    });

    it("answers a problem for a method a route does not have", async () => {
      for (const [method, url] of [
        ["DELETE", "/health"],
        ["PUT", "/category"],
        ["GET", "/register"],
        ["PATCH", "/login"],
      ] as const) {
        const res = await t.request(method, url);
        expect([404, 405], `${method} ${url}`).toContain(res.statusCode);
        expectClientError(res);
      }
    });

    it("answers a problem for a path with broken percent-encoding", async () => {
      const { token } = await t.signUp();
      for (const url of ["/entries/%", "/entry/%zz", "/entries/%E0%A4%A", "/health/%"]) {
        const res = await t.request("GET", url, { token });
        expect([400, 404], `${url}: ${res.body}`).toContain(res.statusCode);
        expectClientError(res);
      }
    });
  });

  describe("bodies", () => {
    it("answers 400 MALFORMED_JSON for a body that is not JSON, on every route with a body", async () => {
      const { token } = await t.signUp();
      const category = await makeCategory(t, token);
      const entry = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      for (const text of ["{oops", '{"name": "x",}', "{'name': 'x'}", '{"name": "x"', "undefined", "NaN", "\u0000"]) {
        expectProblem(await sendJson(t, "POST", "/register", text), 400, "MALFORMED_JSON");
        expectProblem(await sendJson(t, "POST", "/login", text), 400, "MALFORMED_JSON");
        expectProblem(await sendJson(t, "POST", "/category", text, token), 400, "MALFORMED_JSON");
        expectProblem(await sendJson(t, "POST", "/entry", text, token), 400, "MALFORMED_JSON");
        expectProblem(await sendJson(t, "PATCH", `/entry/${entry.id}`, text, token), 400, "MALFORMED_JSON");
        expectProblem(await sendJson(t, "POST", `/entry/${entry.id}/stop`, text, token), 400, "MALFORMED_JSON");
      }
    });

    it("answers 413 PAYLOAD_TOO_LARGE for a body over 16 KiB, and reads one of exactly 16 KiB", async () => {
      const { token } = await t.signUp();
      const sized = (bytes: number) => {
        const text = `{"name":"${"x".repeat(bytes - 11)}"}`;
        expect(Buffer.byteLength(text)).toBe(bytes);
        return text;
      };
      // Exactly 16 KiB is read (and refused for its content, not its size).
      expectValidationError(await sendJson(t, "POST", "/category", sized(16 * 1024), token), "/name");
      expectProblem(await sendJson(t, "POST", "/category", sized(16 * 1024 + 1), token), 413, "PAYLOAD_TOO_LARGE");
      expectProblem(await sendJson(t, "POST", "/register", sized(64 * 1024)), 413, "PAYLOAD_TOO_LARGE");
      const note = JSON.stringify({ category: "x", start_time: "2026-02-10 09:00:00", note: "é".repeat(9000) });
      expectProblem(await sendJson(t, "POST", "/entry", note, token), 413, "PAYLOAD_TOO_LARGE");
    });

    it.each([
      ["text/plain", "name=x"],
      ["application/x-www-form-urlencoded", "name=x"],
      ["multipart/form-data; boundary=zz", '--zz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--zz--'],
      ["application/xml", "<name>x</name>"],
      ["text/json", '{"name":"x"}'],
    ])("answers 415 UNSUPPORTED_MEDIA_TYPE for a %s body, and keeps nothing", async (type, text) => {
      const { token } = await t.signUp();
      const before = await allCategories(t, token);
      const res = await t.request("POST", "/category", { token, body: text, headers: { "content-type": type } });
      expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(await allCategories(t, token)).toStrictEqual(before);
      expectProblem(
        await t.request("POST", "/register", { body: `username=${uniqueName("f")}&password=${PASSWORD}`, headers: { "content-type": type } }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
    });

    it("answers 415 for a body sent with no content type", async () => {
      const res = await t.app.inject({ method: "POST", url: "/register", payload: Buffer.from(JSON.stringify({ username: uniqueName("n"), password: PASSWORD })) });
      expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("reads application/json with a charset parameter", async () => {
      const res = await t.request("POST", "/register", {
        body: JSON.stringify({ username: uniqueName("cs"), password: PASSWORD }),
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      expect(res.statusCode, res.body).toBe(201);
    });

    it("answers 400 with the path of an unknown field, on every route with a body", async () => {
      const { token } = await t.signUp();
      const category = await makeCategory(t, token);
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00" });
      const cases: [string, string, object, string][] = [
        ["POST", "/register", { username: uniqueName("u"), password: PASSWORD, admin: true }, "/admin"],
        ["POST", "/login", { username: "someone", password: PASSWORD, remember: true }, "/remember"],
        ["POST", "/category", { name: uniqueName("c"), id: 1 }, "/id"],
        ["POST", "/entry", { category: category.name, start_time: "2026-02-10 12:00:00", end_time: "2026-02-10 13:00:00", user_id: 1 }, "/user_id"],
        ["PATCH", `/entry/${timer.id}`, { note: "x", duration_seconds: 5 }, "/duration_seconds"],
        ["POST", `/entry/${timer.id}/stop`, { end_time: "2026-02-10 10:00:00", force: true }, "/force"],
      ];
      for (const [method, url, body, path] of cases) {
        expectValidationError(await t.request(method, url, { token, body }), path);
      }
      // Nothing happened: the timer still runs, nothing else was logged.
      const { username } = await t.request("GET", "/me", { token }).then((res) => res.json<{ username: string }>());
      expect(await allEntries(t, token, username)).toStrictEqual([timer]);
    });

    it.each([
      ["POST", "/register", { username: uniqueName("t"), password: 12345678 }, "/password"],
      ["POST", "/register", { username: 12345, password: PASSWORD }, "/username"],
      ["POST", "/register", { username: [uniqueName("t")], password: PASSWORD }, "/username"],
      ["POST", "/register", { username: null, password: PASSWORD }, "/username"],
      ["POST", "/register", { username: { name: "x" }, password: PASSWORD }, "/username"],
      ["POST", "/register", { username: uniqueName("t"), password: true }, "/password"],
      ["POST", "/login", { username: "someone", password: 12345678 }, "/password"],
      ["POST", "/category", { name: 5 }, "/name"],
      ["POST", "/category", { name: null }, "/name"],
      ["POST", "/category", { name: ["Work"] }, "/name"],
      ["POST", "/category", { name: { en: "Work" } }, "/name"],
      ["POST", "/entry", { category: 1, start_time: "2026-02-10 09:00:00" }, "/category"],
      ["POST", "/entry", { category: "Work", start_time: 1770714000 }, "/start_time"],
      ["POST", "/entry", { category: "Work", start_time: "2026-02-10 09:00:00", end_time: 0 }, "/end_time"],
      ["POST", "/entry", { category: "Work", start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note: 5 }, "/note"],
      ["POST", "/entry", { category: "Work", start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note: false }, "/note"],
      ["POST", "/entry", { category: "Work", start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note: {} }, "/note"],
      ["POST", "/entry", { username: 7, category: "Work", start_time: "2026-02-10 09:00:00" }, "/username"],
      ["POST", "/entry", { category: "Work", start_time: ["2026-02-10 09:00:00"] }, "/start_time"],
    ] as const)("answers 400 without coercion: %s %s %j", async (method, url, body, path) => {
      const { token } = await t.signUp();
      await makeCategory(t, token, "Work");
      expectValidationError(await t.request(method, url, { token, body }), path);
    });

    it("keeps nothing from a body refused for a wrong type", async () => {
      const username = uniqueName("coerce");
      expectValidationError(await t.request("POST", "/register", { body: { username, password: 12345678 } }), "/password");
      expectProblem(await t.request("POST", "/login", { body: { username, password: "12345678" } }), 401, "INVALID_CREDENTIALS");
      expect((await t.request("POST", "/register", { body: { username, password: PASSWORD } })).statusCode).toBe(201);
    });

    it.each([
      ["POST", "/register", (name: string) => `{"username":"${name}","password":"${PASSWORD}","__proto__":{"polluted":true}}`],
      ["POST", "/register", (name: string) => `{"username":"${name}","password":"${PASSWORD}","constructor":{"prototype":{"polluted":true}}}`],
      ["POST", "/category", (name: string) => `{"name":"${name}","__proto__":{"polluted":true}}`],
      ["POST", "/category", (name: string) => `{"__proto__":{"polluted":true},"name":"${name}"}`],
      ["POST", "/category", (name: string) => `{"name":"${name}","constructor":{"prototype":{"polluted":true}}}`],
      ["POST", "/entry", (name: string) => `{"category":"${name}","start_time":"2026-02-10 09:00:00","note":{"__proto__":{"polluted":true}}}`],
    ] as const)("refuses prototype poisoning with 400: %s %s", async (method, url, makeBody) => {
      const { token } = await t.signUp();
      const name = uniqueName("proto");
      const res = await sendJson(t, method, url, makeBody(name), token);
      expect(res.statusCode, res.body).toBe(400);
      expectClientError(res);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      // Nothing was stored under that name.
      expect((await allCategories(t, token)).map((category) => category.name)).not.toContain(name);
      expectProblem(await t.request("POST", "/login", { body: { username: name, password: PASSWORD } }), 401, "INVALID_CREDENTIALS");
    });
  });

  describe("failures of the store", () => {
    it("answers 500 INTERNAL without the message, SQL or a stack when the store throws", async () => {
      const { token } = await t.signUp();
      vi.spyOn(store.categories, "list").mockRejectedValue(new Error("SELECT secret FROM db WHERE password = 'hunter2'"));
      const res = await t.request("GET", "/category", { token });
      const body = expectProblem(res, 500, "INTERNAL");
      expect(body.type).toBeTruthy();
      expect(res.headers["x-request-id"]).toMatch(REQUEST_ID);
      for (const leak of ["SELECT", "secret", "hunter2", "db", "Error:", " at ", ".ts:", ".js:", "node_modules", "memory-store"]) {
        expect(res.body, leak).not.toContain(leak);
      }
      expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(["code", "status", "title", "type"]));
      expect(body).not.toHaveProperty("stack");
    });

    it("answers 500 INTERNAL for something thrown that is not an Error", async () => {
      const { token, username } = await t.signUp();
      vi.spyOn(store.entries, "listByUser").mockRejectedValue("ER_ACCESS_DENIED_ERROR: Access denied for user 'root'@'10.0.0.1'");
      const res = await t.request("GET", `/entries/${username}`, { token });
      expectProblem(res, 500, "INTERNAL");
      expect(res.body).not.toContain("root");
      expect(res.body).not.toContain("ER_ACCESS");
    });

    it("answers 500 INTERNAL for a failing CSV export before it starts", async () => {
      const { token, username } = await t.signUp();
      vi.spyOn(store.users, "findByUsername").mockRejectedValue(new Error("connect ECONNREFUSED 10.0.0.5:3306"));
      // Another spelling of one's own name is looked up (the exact one needs no lookup).
      const res = await t.request("GET", `/entries/${username.toUpperCase()}?format=csv`, { token });
      expectProblem(res, 500, "INTERNAL");
      expect(res.body).not.toContain("ECONNREFUSED");
    });

    it("answers 503 UNAVAILABLE when the store says the database cannot be reached, and recovers", async () => {
      const { token } = await t.signUp();
      const spy = vi.spyOn(store.categories, "list").mockRejectedValue(new StoreUnavailable("connect ETIMEDOUT 10.0.0.5:3306"));
      const res = await t.request("GET", "/category", { token });
      expectProblem(res, 503, "UNAVAILABLE");
      expect(res.body).not.toContain("ETIMEDOUT");
      expect(res.body).not.toContain("10.0.0.5");
      spy.mockRestore();
      expect((await t.request("GET", "/category", { token })).statusCode).toBe(200);
    });

    it("answers 503 UNAVAILABLE when the token cannot be checked, not 401", async () => {
      const { token } = await t.signUp();
      vi.spyOn(store.sessions, "findUser").mockRejectedValue(new StoreUnavailable("pool closed"));
      const res = await t.request("GET", "/me", { token });
      expectProblem(res, 503, "UNAVAILABLE");
      expect(res.headers["www-authenticate"]).toBeUndefined();
    });

    it("answers 404 NOT_FOUND when the category of a new entry is gone by the time it is written", async () => {
      const { token, username } = await t.signUp();
      const category = await makeCategory(t, token);
      const spy = vi.spyOn(store.categories, "findByName").mockResolvedValue({ id: 2_000_000_000, name: category.name });
      const res = await t.request("POST", "/entry", { token, body: { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" } });
      spy.mockRestore();
      expectProblem(res, 404, "NOT_FOUND");
      expect(await allEntries(t, token, username)).toEqual([]);
    });

    it("answers 503 UNAVAILABLE for a write while the database is away, and keeps nothing", async () => {
      const { token, username } = await t.signUp();
      const category = await makeCategory(t, token);
      // The connection goes away inside the unit of work, at its INSERT.
      const run = store.transactor.run.bind(store.transactor);
      const spy = vi.spyOn(store.transactor, "run").mockImplementation((scope, work) =>
        run(scope, (repos) => {
          const entries = Object.create(repos.entries) as typeof repos.entries;
          entries.add = () => Promise.reject(new StoreUnavailable("lost connection"));
          return work({ ...repos, entries });
        }),
      );
      const res = await t.request("POST", "/entry", { token, body: { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" } });
      expectProblem(res, 503, "UNAVAILABLE");
      spy.mockRestore();
      expect(await allEntries(t, token, username)).toEqual([]);
      // The per-user lock was released: the next write goes through.
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
    });

    it("answers 503 UNAVAILABLE at registration and login too", async () => {
      vi.spyOn(store.users, "findByUsername").mockRejectedValue(new StoreUnavailable("down"));
      vi.spyOn(store.transactor, "run").mockRejectedValue(new StoreUnavailable("down"));
      expectProblem(await t.request("POST", "/register", { body: { username: uniqueName("u"), password: PASSWORD } }), 503, "UNAVAILABLE");
      expectProblem(await t.request("POST", "/login", { body: { username: uniqueName("u"), password: PASSWORD } }), 503, "UNAVAILABLE");
    });
  });
});

describe("the log of a failure", () => {
  it("carries the detail the 500 hides, under the request id the client was given", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", {
      write(line: string) {
        lines.push(line);
      },
    });
    const store = await openTestStore();
    const app = await buildApp({
      store,
      logger,
      config: loadConfig({ STORAGE: "memory", RATE_LIMIT_REGISTER_PER_HOUR: "0", RATE_LIMIT_LOGIN_FAILURES: "0" }),
      overrides: { passwordHasher: new PlainTextHasher() },
    });
    try {
      await app.ready();
      const username = uniqueName("log");
      await app.inject({ method: "POST", url: "/register", payload: { username, password: PASSWORD } });
      const login = await app.inject({ method: "POST", url: "/login", payload: { username, password: PASSWORD } });
      const token = login.json<{ token: string }>().token;
      vi.spyOn(store.categories, "list").mockRejectedValue(new Error("SELECT secret FROM db"));
      const res = await app.inject({
        method: "GET",
        url: "/category",
        headers: { authorization: `Bearer ${token}`, "x-request-id": "trace-500-test" },
      });
      expectProblem(res, 500, "INTERNAL");
      expect(res.body).not.toContain("SELECT");
      const logged = lines.filter((line) => line.includes("trace-500-test"));
      expect(logged.some((line) => line.includes("SELECT secret FROM db"))).toBe(true);
      // The log never carries the token or the password.
      expect(lines.join("\n")).not.toContain(token);
      expect(lines.join("\n")).not.toContain(PASSWORD);
    } finally {
      vi.restoreAllMocks();
      await app.close();
    }
  });
});
