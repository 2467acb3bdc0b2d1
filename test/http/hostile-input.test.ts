import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import { parseCsv } from "../support/csv.js";
import {
  allCategories,
  allEntries,
  allUsernames,
  expectClientError,
  expectProblem,
  logEntry,
  makeCategory,
  sendJson,
  type CategoryBody,
  type EntryBody,
  type EntryListBody,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

/** Strings that break naive code: SQL, wildcards, odd Unicode, control characters. */
const HOSTILE: readonly (readonly [string, string])[] = [
  ["SQL: drop table", "'; DROP TABLE users; --"],
  ["SQL: or 1=1", '" OR 1=1 --'],
  ["SQL: quoted or", "' OR '1'='1"],
  ["SQL: union", "x' UNION SELECT pwd_hash, salt FROM users --"],
  ["SQL: comment", "/* c */ -- #"],
  ["backslashes", "back\\slash\\"],
  ["backslash quote", "\\'; --"],
  ["percent", "100%"],
  ["underscore", "_"],
  ["LIKE wildcards", "%_%"],
  ["emoji", "😀🎉👩‍👩‍👧"],
  ["RTL text", "שלום عربي"],
  ["RTL override", "\u202Eevil\u202C"],
  ["combining marks", "e\u0301 a\u0308 n\u0303"],
  ["stacked marks", "Z\u0351\u036b\u0343a\u0352l\u0363g\u0310o"],
  ["NUL", "nul\u0000byte"],
  ["lone high surrogate", "x\ud800y"],
  ["lone low surrogate", "\udfffz"],
  ["control characters", "\u0001\u0007\u001b[31m"],
  ["HTML", "<script>alert(1)</script>"],
  ["templates", "${jndi:ldap://x/a} {{7*7}}"],
  ["path traversal", "../../etc/passwd"],
  ["CRLF injection", "a\r\nSet-Cookie: x=1"],
  ["JSON operator", '{"$gt": ""}'],
  ["whitespace only", " \t "],
  ["empty", ""],
  ["BOM and NBSP", "\uFEFFbom\u00A0nbsp"],
];

const HEADER_SAFE = /^[\x20-\x7e]*$/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Percent-encodes like encodeURIComponent, except that a lone surrogate (which has no UTF-8 form)
 * is sent as the three bytes it would take if it had one: a path or query a client can still send.
 */
function encodeLoosely(text: string): string {
  let out = "";
  for (const char of text) {
    if (!LONE_SURROGATE.test(char)) {
      out += encodeURIComponent(char);
      continue;
    }
    const unit = char.charCodeAt(0);
    out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join("");
  }
  return out;
}

function characters(text: string): number {
  return [...text].length;
}

/** Status below 500, and a problem document when it is a refusal. */
function expectHandled(res: LightMyRequestResponse, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
  if (res.statusCode >= 400) expectClientError(res);
}

describe("hostile input", () => {
  const clock = new FixedClock(new Date("2026-03-01T00:00:00Z"));
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  describe.each(HOSTILE)("%s", (_label, hostile) => {
    it("is refused as a username at registration, and no user is added", async () => {
      const { token } = await t.signUp();
      const before = await allUsernames(t, token);
      const res = await t.request("POST", "/register", { body: { username: hostile, password: PASSWORD } });
      expectHandled(res, "register");
      expect(res.statusCode).toBe(400);
      expect(await allUsernames(t, token)).toStrictEqual(before);
    });

    it("is a password that logs in exactly as written, and only so", async () => {
      const username = uniqueName("pw");
      const password = `pw-${hostile}-12345678`;
      const res = await t.request("POST", "/register", { body: { username, password } });
      if (LONE_SURROGATE.test(hostile)) {
        // Not well-formed Unicode: no hash could tell it from its neighbours. Refused, nothing stored.
        expectProblem(res, 400, "VALIDATION_FAILED");
        expectProblem(await t.request("POST", "/login", { body: { username, password: PASSWORD } }), 401, "INVALID_CREDENTIALS");
        return;
      }
      expect(res.statusCode, res.body).toBe(201);
      expect((await t.request("POST", "/login", { body: { username, password } })).statusCode).toBe(200);
      for (const wrong of [password.slice(0, -1), `${password} `, hostile, "pw--12345678"].filter((w) => w !== password)) {
        expectProblem(await t.request("POST", "/login", { body: { username, password: wrong } }), 401, "INVALID_CREDENTIALS");
      }
    });

    it("logs nobody in as username or password", async () => {
      await t.signUp();
      const res = await t.request("POST", "/login", { body: { username: hostile, password: hostile } });
      expectHandled(res, "login");
      expect([400, 401]).toContain(res.statusCode);
    });

    it("is stored byte-exact as a category name and a note, when accepted, and read back everywhere", async () => {
      const { token, username } = await t.signUp();
      const raw = `${hostile} ${uniqueName("")}`;
      const name = raw.trim();
      const before = await allCategories(t, token);
      const created = await t.request("POST", "/category", { token, body: { name: raw } });
      expectHandled(created, "POST /category");
      if (LONE_SURROGATE.test(hostile)) {
        // Not well-formed Unicode: no UTF-8 store or CSV file can keep it. Refused, nothing stored.
        expectProblem(created, 400, "VALIDATION_FAILED");
        expect(await allCategories(t, token)).toStrictEqual(before);
        const category = await makeCategory(t, token);
        const withNote = await t.request("POST", "/entry", {
          token,
          body: { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note: hostile },
        });
        expectProblem(withNote, 400, "VALIDATION_FAILED");
        expect(await allEntries(t, token, username)).toStrictEqual([]);
        return;
      }
      if (characters(name) < 1 || characters(name) > 100) {
        expect(created.statusCode).toBe(400);
        expect(await allCategories(t, token)).toStrictEqual(before);
        return;
      }
      expect(created.statusCode, created.body).toBe(201);
      const category = created.json<{ category: CategoryBody }>().category;
      expect(category.name).toBe(name);
      expect(await allCategories(t, token)).toContainEqual(category);
      // Asking again finds the same one.
      const again = await t.request("POST", "/category", { token, body: { name } });
      expect(again.statusCode).toBe(200);
      expect(again.json<{ category: CategoryBody }>().category).toStrictEqual(category);

      const entry = await logEntry(t, token, {
        category: name,
        start_time: "2026-02-10 09:00:00",
        end_time: "2026-02-10 10:00:00",
        note: hostile,
      });
      expect(entry.category).toBe(name);
      expect(entry.note).toBe(hostile);
      const fetched = (await t.request("GET", `/entry/${entry.id}`, { token })).json<{ entry: EntryBody }>().entry;
      expect(fetched.note).toBe(hostile);
      expect(fetched.category).toBe(name);

      // The category filter matches that name and nothing else (a URL cannot carry a lone surrogate).
      if (!LONE_SURROGATE.test(hostile)) {
        const filtered = await t.request("GET", `/entries/${username}?category=${encodeURIComponent(name)}`, { token });
        expect(filtered.statusCode, filtered.body).toBe(200);
        expect(filtered.json<EntryListBody>().entries).toStrictEqual([fetched]);
      }

      const patched = await t.request("PATCH", `/entry/${entry.id}`, { token, body: { note: `${hostile}!` } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json<{ entry: EntryBody }>().entry.note).toBe(`${hostile}!`);

      // CSV carries it too (UTF-8 cannot carry a lone surrogate, so those are left to JSON).
      if (!LONE_SURROGATE.test(hostile)) {
        const csv = await t.request("GET", `/entries/${username}?format=csv`, { token });
        expect(csv.statusCode).toBe(200);
        const rows = parseCsv(csv.body);
        expect(rows).toHaveLength(2);
        expect(rows[1]?.[2]).toBe(name);
        expect(rows[1]?.[6]).toBe(`${hostile}!`);
      }
    });

    it("keeps a note as written, untrimmed", async () => {
      const { token } = await t.signUp();
      const category = await makeCategory(t, token);
      const note = ` ${hostile}\n`;
      if (LONE_SURROGATE.test(hostile)) {
        const refused = await t.request("POST", "/entry", {
          token,
          body: { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note },
        });
        expectProblem(refused, 400, "VALIDATION_FAILED");
        expect(refused.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("/note");
        return;
      }
      const entry = await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00", note });
      expect(entry.note).toBe(note);
      expect((await t.request("GET", `/entry/${entry.id}`, { token })).json<{ entry: EntryBody }>().entry.note).toBe(note);
    });

    it("is refused in every other body field, and nothing is stored", async () => {
      const { token, username } = await t.signUp();
      const category = await makeCategory(t, token);
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-28 23:00:00" });
      const attempts: [string, string, object][] = [
        ["POST", "/entry", { category: `${hostile}${uniqueName("")}`, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" }],
        ["POST", "/entry", { category: category.name, start_time: hostile, end_time: "2026-02-10 10:00:00" }],
        ["POST", "/entry", { category: category.name, start_time: "2026-02-10 09:00:00", end_time: hostile }],
        ["POST", "/entry", { username: hostile, category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" }],
        ["PATCH", `/entry/${timer.id}`, { category: `${hostile}${uniqueName("")}` }],
        ["PATCH", `/entry/${timer.id}`, { start_time: hostile }],
        ["PATCH", `/entry/${timer.id}`, { end_time: hostile }],
        ["POST", `/entry/${timer.id}/stop`, { end_time: hostile }],
      ];
      for (const [method, url, body] of attempts) {
        const res = await t.request(method, url, { token, body });
        expectHandled(res, `${method} ${url} ${JSON.stringify(body)}`);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      }
      expect(await allEntries(t, token, username)).toStrictEqual([timer]);
    });

    it("is answered calmly in paths", async () => {
      const { token } = await t.signUp();
      const segment = encodeLoosely(hostile);
      for (const [method, url] of [
        ["GET", `/entries/${segment}`],
        ["GET", `/entries/${segment}?format=csv`],
        ["GET", `/entry/${segment}`],
        ["PATCH", `/entry/${segment}`],
        ["DELETE", `/entry/${segment}`],
        ["POST", `/entry/${segment}/stop`],
      ] as const) {
        const res = await t.request(method, url, { token, ...(method === "PATCH" ? { body: { note: "x" } } : {}) });
        expectHandled(res, `${method} ${url}`);
        expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      }
      // Not a way to reach someone else's data either.
      const other = await t.signUp();
      const res = await t.request("GET", `/entries/${encodeLoosely(`${other.username}${hostile}`)}`, { token });
      expectHandled(res, "suffixed name");
      expect([400, 403, 404]).toContain(res.statusCode);
    });

    it("is answered calmly in query strings", async () => {
      const { token, username } = await t.signUp();
      const category = await makeCategory(t, token);
      await logEntry(t, token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      const value = encodeLoosely(hostile);
      const byCategory = await t.request("GET", `/entries/${username}?category=${value}`, { token });
      expectHandled(byCategory, "category filter");
      if (byCategory.statusCode === 200) expect(byCategory.json<EntryListBody>().entries).toEqual([]);
      for (const query of [`from=${value}`, `to=${value}`, `cursor=${value}`, `limit=${value}`, `format=${value}`]) {
        const res = await t.request("GET", `/entries/${username}?${query}`, { token });
        expectHandled(res, query);
        if (!(query.startsWith("cursor=") && hostile === "")) expect(res.statusCode, query).toBe(400);
      }
      for (const query of [`cursor=${value}`, `limit=${value}`, `${value}=1`]) {
        const res = await t.request("GET", `/users?${query}`, { token });
        expectHandled(res, `/users?${query}`);
      }
    });

    it.runIf(HEADER_SAFE.test(hostile))("is answered calmly in headers", async () => {
      const withId = await t.request("GET", "/health", { headers: { "x-request-id": hostile } });
      expect(withId.statusCode).toBe(200);
      expect(withId.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
      const bearer = await t.request("GET", "/me", { headers: { authorization: `Bearer ${hostile}` } });
      expectProblem(bearer, 401, "UNAUTHENTICATED");
    });
  });

  describe("names are compared as names, never as patterns", () => {
    it("treats _ and % in names literally", async () => {
      const { token, username } = await t.signUp();
      const tag = uniqueName("").slice(1);
      const pct = await makeCategory(t, token, `pct${tag}100%`);
      const under = await makeCategory(t, token, `und${tag}a_c`);
      const plain = await makeCategory(t, token, `und${tag}abc`);
      expect(new Set([pct.id, under.id, plain.id]).size).toBe(3);
      expectProblem(
        await t.request("POST", "/entry", { token, body: { category: `pct${tag}1000`, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" } }),
        404,
        "CATEGORY_NOT_FOUND",
      );
      await logEntry(t, token, { category: plain.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
      const list = async (category: string) =>
        (await t.request("GET", `/entries/${username}?category=${encodeURIComponent(category)}`, { token })).json<EntryListBody>().entries;
      expect(await list(`und${tag}a_c`)).toEqual([]);
      expect(await list(`und${tag}%`)).toEqual([]);
      expect(await list(`und${tag}abc`)).toHaveLength(1);

      const person = `ab_${tag}`;
      await t.signUp(person);
      expectProblem(await t.request("GET", `/entries/${`abx${tag}`}`, { token }), 404, "USER_NOT_FOUND");
      expectProblem(await t.request("POST", "/login", { body: { username: `ab%${tag}`, password: PASSWORD } }), 401, "INVALID_CREDENTIALS");
      expectProblem(await t.request("POST", "/login", { body: { username: `abx${tag}`, password: PASSWORD } }), 401, "INVALID_CREDENTIALS");
    });

    it("reads lone surrogates sent as JSON escapes back as the same escapes", async () => {
      const { token } = await t.signUp();
      const tag = uniqueName("sur");
      const res = await sendJson(t, "POST", "/category", `{"name":"${tag}\\ud800\\udc00\\udbff-\\udfff"}`, token);
      expectHandled(res, "surrogates");
      if (res.statusCode === 201) {
        const name = res.json<{ category: CategoryBody }>().category.name;
        expect(name).toBe(`${tag}\ud800\udc00\udbff-\udfff`);
        expect((await allCategories(t, token)).map((category) => category.name)).toContain(name);
      }
    });
  });

  describe("bodies of the wrong shape", () => {
    const deepObject = `${'{"a":'.repeat(2500)}1${"}".repeat(2500)}`;
    const deepArray = `${"[".repeat(8000)}${"]".repeat(8000)}`;
    const wide = `{${Array.from({ length: 1200 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    const SHAPES: readonly (readonly [string, string])[] = [
      ["an empty array", "[]"],
      ["an array of a valid body", '[{"name":"x","username":"x","password":"12345678","category":"x","start_time":"2026-02-10 09:00:00"}]'],
      ["a string", '"hello"'],
      ["a number", "42"],
      ["a huge number", "1e999"],
      ["a negative float", "-1.5e308"],
      ["true", "true"],
      ["false", "false"],
      ["null", "null"],
      ["an object nested 2500 deep", deepObject],
      ["an array nested 8000 deep", deepArray],
      ["an object with 1200 keys", wide],
      ["fields nested deep", `{"name":${deepArray.slice(0, 6000)}${deepArray.slice(-6000)},"username":{"a":{"b":{"c":1}}}}`],
      ["a lone surrogate key", '{"\\ud800":1}'],
      ["a NUL key", '{"\\u0000":1}'],
    ];

    it.each(SHAPES)("answers 4xx problem+json to %s on every body route, and stores nothing", async (_label, text) => {
      const { token, username } = await t.signUp();
      const category = await makeCategory(t, token);
      const timer = await logEntry(t, token, { category: category.name, start_time: "2026-02-28 23:00:00", note: "running" });
      const usersBefore = await allUsernames(t, token);
      const categoriesBefore = await allCategories(t, token);
      for (const [method, url] of [
        ["POST", "/register"],
        ["POST", "/login"],
        ["POST", "/category"],
        ["POST", "/entry"],
        ["PATCH", `/entry/${timer.id}`],
        ["POST", `/entry/${timer.id}/stop`],
      ] as const) {
        const res = await sendJson(t, method, url, text, token);
        expectHandled(res, `${method} ${url}`);
        expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      }
      expect(await allUsernames(t, token)).toStrictEqual(usersBefore);
      expect(await allCategories(t, token)).toStrictEqual(categoriesBefore);
      expect(await allEntries(t, token, username)).toStrictEqual([timer]);
    });
  });
});
