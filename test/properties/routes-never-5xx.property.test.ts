import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../support/http.js";

/** Every route of the API, with a placeholder where a path parameter goes. */
const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/health"],
  ["POST", "/register"],
  ["POST", "/login"],
  ["POST", "/logout"],
  ["GET", "/me"],
  ["GET", "/users"],
  ["POST", "/category"],
  ["GET", "/category"],
  ["POST", "/entry"],
  ["POST", "/entry/:p/stop"],
  ["GET", "/entry/:p"],
  ["PATCH", "/entry/:p"],
  ["DELETE", "/entry/:p"],
  ["GET", "/entries/:p"],
  ["GET", "/reports/summary"],
  ["POST", "/me/password"],
  ["GET", "/me/sessions"],
  ["DELETE", "/me/sessions/:p"],
  ["GET", "/me/export"],
  ["DELETE", "/me"],
  ["POST", "/me/totp"],
  ["POST", "/me/totp/confirm"],
  ["DELETE", "/me/totp"],
];

describe("no input makes any route fail on our side", () => {
  let t: TestApp;
  let token: string;
  let username: string;
  beforeAll(async () => {
    t = await testApp();
    ({ token, username } = await t.signUp());
    await t.request("POST", "/category", { token, body: { name: "Work" } });
    await t.request("POST", "/entry", { token, body: { category: "Work", start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" } });
  });
  afterAll(() => t.close());

  const check = async (method: string, url: string, body: unknown, authed: boolean) => {
    const res = await t.app.inject({
      method: method as "GET",
      url,
      headers: { ...(authed ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.statusCode >= 500) throw new Error(`${method} ${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
    if (res.statusCode >= 400) expect(res.headers["content-type"]).toContain("application/problem+json");
  };

  it("arbitrary JSON bodies, with and without a token", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(fc.json().map((text) => JSON.parse(text) as unknown), fc.object(), fc.record({
          username: fc.oneof(fc.string(), fc.constant(username)),
          password: fc.string(),
          name: fc.string(),
          category: fc.oneof(fc.string(), fc.constant("Work")),
          start_time: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          end_time: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant(null)),
          note: fc.oneof(fc.string(), fc.constant(null)),
          totp_code: fc.string(),
          code: fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{6}$/)),
          current_password: fc.string(),
          new_password: fc.string(),
        }, { requiredKeys: [] })),
        fc.boolean(),
        async ([method, path], body, authed) => {
          await check(method, path.replace(":p", "1"), method === "GET" || method === "DELETE" ? undefined : body, authed);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("arbitrary path segments and query strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constant(username), fc.integer().map(String)),
        fc.dictionary(
          fc.constantFrom("from", "to", "category", "limit", "cursor", "format", "group_by", "tz", "x"),
          fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer().map(String), fc.constant("2026-02-10 09:00:00")),
        ),
        async ([method, path], segment, query) => {
          const url = `${path.replace(":p", encodeURIComponent(segment))}?${new URLSearchParams(query).toString()}`;
          await check(method, url, method === "GET" || method === "DELETE" ? undefined : {}, true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("crafted cursors: any JSON base64url-encoded, numbers of every size included", async () => {
    const number = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(9e12, -9e12, 8.64e15, 2 ** 53, 2 ** 32, 4_294_967_296, 253_402_300_800, -62_135_596_800, 0),
      fc.nat().map((n) => n * 1e9),
    );
    // Pages' cursors hold [start seconds, id], users' [id]: tuples of those lengths get past the shape check.
    const cursor = fc.oneof(
      fc.tuple(number, fc.oneof(fc.nat(1000), number)).map((values) => JSON.stringify(values)),
      fc.tuple(number).map((values) => JSON.stringify(values)),
      fc.array(number, { maxLength: 3 }).map((values) => JSON.stringify(values)),
      fc.json(),
    );
    await fc.assert(
      fc.asyncProperty(cursor, fc.constantFrom(`/entries/${"USER"}`, "/users"), async (json, path) => {
        const encoded = Buffer.from(json, "utf8").toString("base64url");
        await check("GET", `${path.replace("USER", encodeURIComponent(username))}?cursor=${encoded}`, undefined, true);
      }),
      { numRuns: 300, examples: [["[9000000000000,1]", "/entries/USER"]] },
    );
  });
});
