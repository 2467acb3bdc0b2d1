import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, makeCategory, RFC3339_UTC } from "../support/http-expect.js";

interface TokenBody {
  readonly id: number;
  readonly name: string;
  readonly scope: "read" | "write";
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
}

const START = new Date("2026-03-02T10:00:20Z");

describe("API tokens: POST, GET and DELETE /tokens, and using a token", () => {
  let t: TestApp;
  const clock = new FixedClock(START);
  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(() => t.close());

  const make = async (user: SignedIn, body: object = { name: "script", scope: "write" }) => {
    const res = await t.request("POST", "/tokens", { token: user.token, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ token: TokenBody; secret: string }>();
  };
  const list = async (user: SignedIn) =>
    (await t.request("GET", "/tokens", { token: user.token })).json<{ tokens: TokenBody[] }>().tokens;

  it("makes a token whose secret is tt_ + 256 random bits, shown once and stored only as its SHA-256", async () => {
    const ann = await t.signUp();
    const made = await make(ann, { name: "  backup script  ", scope: "read" });
    expect(made.secret).toMatch(/^tt_[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(made.secret.slice(3), "base64url").length).toBeGreaterThanOrEqual(32);
    expect(made.token).toEqual({
      id: expect.any(Number),
      name: "backup script",
      scope: "read",
      created_at: "2026-03-02T10:00:20Z",
      expires_at: "2026-05-31T10:00:20Z",
      last_used_at: null,
    });
    const listed = await t.request("GET", "/tokens", { token: ann.token });
    expect(listed.json()).toEqual({ tokens: [made.token] });
    expect(listed.body).not.toContain(made.secret.slice(3));
    const other = await make(ann);
    expect(other.secret).not.toBe(made.secret);
    expect((await list(ann)).map((token) => token.id)).toEqual([other.token.id, made.token.id]);
  });

  it("expires after expires_in_days, or never for null; refuses bad bodies", async () => {
    const ann = await t.signUp();
    expect((await make(ann, { name: "a", scope: "write", expires_in_days: 1 })).token.expires_at).toBe("2026-03-03T10:00:20Z");
    expect((await make(ann, { name: "b", scope: "write", expires_in_days: 3650 })).token.expires_at).toMatch(RFC3339_UTC);
    expect((await make(ann, { name: "c", scope: "write", expires_in_days: null })).token.expires_at).toBeNull();
    const post = (body: unknown) => t.request("POST", "/tokens", { token: ann.token, body });
    expectValidationError(await post({ name: "x", scope: "write", expires_in_days: 0 }), "/expires_in_days");
    expectValidationError(await post({ name: "x", scope: "write", expires_in_days: 3651 }), "/expires_in_days");
    expectValidationError(await post({ name: "x", scope: "write", expires_in_days: 1.5 }), "/expires_in_days");
    expectValidationError(await post({ name: "x", scope: "admin" }), "/scope");
    expectValidationError(await post({ name: "   ", scope: "read" }), "/name");
    expectValidationError(await post({ name: "x".repeat(101), scope: "read" }), "/name");
    expectValidationError(await post({ scope: "read" }), "/name");
    expectValidationError(await post({ name: "x", scope: "read", secret: "mine" }), "/secret");
    expect(await list(ann)).toHaveLength(3);
  });

  it("works as a bearer token until it expires (401 UNAUTHENTICATED after)", async () => {
    const ann = await t.signUp();
    const { secret } = await make(ann, { name: "short", scope: "read", expires_in_days: 1 });
    const me = await t.request("GET", "/me", { token: secret });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ username: ann.username });
    clock.advanceSeconds(86_400);
    try {
      expectProblem(await t.request("GET", "/me", { token: secret }), 401, "UNAUTHENTICATED");
    } finally {
      clock.set(START);
    }
    expectProblem(await t.request("GET", "/me", { token: `${secret}x` }), 401, "UNAUTHENTICATED");
    expectProblem(await t.request("GET", "/me", { token: "tt_" }), 401, "UNAUTHENTICATED");
  });

  it("keeps last_used_at to the minute, written at most once a minute", async () => {
    const ann = await t.signUp();
    const { token, secret } = await make(ann);
    const writes: unknown[] = [];
    const record = t.store.apiTokens.recordUse.bind(t.store.apiTokens);
    t.store.apiTokens.recordUse = async (id, minute) => {
      writes.push([id, minute.toISOString()]);
      return record(id, minute);
    };
    try {
      for (let i = 0; i < 5; i++) expect((await t.request("GET", "/me", { token: secret })).statusCode).toBe(200);
      expect(writes).toEqual([[token.id, "2026-03-02T10:00:00.000Z"]]);
      expect((await list(ann))[0]?.last_used_at).toBe("2026-03-02T10:00:00Z");
      clock.advanceSeconds(39);
      await t.request("GET", "/me", { token: secret });
      expect(writes).toHaveLength(1);
      clock.advanceSeconds(1);
      await Promise.all([1, 2, 3].map(() => t.request("GET", "/me", { token: secret })));
      expect(writes.slice(1)).toContainEqual([token.id, "2026-03-02T10:01:00.000Z"]);
      expect((await list(ann))[0]?.last_used_at).toBe("2026-03-02T10:01:00Z");
    } finally {
      t.store.apiTokens.recordUse = record;
      clock.set(START);
    }
  });

  it("a read token may GET and HEAD only: anything else is 403 INSUFFICIENT_SCOPE and changes nothing", async () => {
    const ann = await t.signUp();
    const category = await makeCategory(t, ann.token);
    const { secret } = await make(ann, { name: "reader", scope: "read" });
    const entries = `/entries/${ann.username}`;
    expect((await t.request("GET", entries, { token: secret })).statusCode).toBe(200);
    expect((await t.request("HEAD", entries, { token: secret })).statusCode).toBe(200);
    const body = { category: category.name, start_time: "2026-03-01T09:00:00Z", end_time: "2026-03-01T10:00:00Z" };
    expectProblem(await t.request("POST", "/entry", { token: secret, body }), 403, "INSUFFICIENT_SCOPE");
    expectProblem(await t.request("POST", "/category", { token: secret, body: { name: "x-reader" } }), 403, "INSUFFICIENT_SCOPE");
    expectProblem(await t.request("POST", "/logout", { token: secret }), 403, "INSUFFICIENT_SCOPE");
    expect((await t.request("GET", entries, { token: ann.token })).json().entries).toEqual([]);
    const { secret: writer } = await make(ann, { name: "writer", scope: "write" });
    expect((await t.request("POST", "/entry", { token: writer, body })).statusCode).toBe(201);
  });

  it("cannot manage tokens (403 SESSION_REQUIRED), whatever its scope", async () => {
    const ann = await t.signUp();
    const { token, secret } = await make(ann, { name: "writer", scope: "write" });
    expectProblem(await t.request("POST", "/tokens", { token: secret, body: { name: "more", scope: "write" } }), 403, "SESSION_REQUIRED");
    expectProblem(await t.request("GET", "/tokens", { token: secret }), 403, "SESSION_REQUIRED");
    expectProblem(await t.request("DELETE", `/tokens/${token.id}`, { token: secret }), 403, "SESSION_REQUIRED");
    const { secret: reader } = await make(ann, { name: "reader", scope: "read" });
    expectProblem(await t.request("GET", "/tokens", { token: reader }), 403, "SESSION_REQUIRED");
    expect(await list(ann)).toHaveLength(2);
  });

  it("DELETE revokes at once; another user's token and ids that are not positive integers are 404 TOKEN_NOT_FOUND", async () => {
    const [ann, bob] = [await t.signUp(), await t.signUp()];
    const { token, secret } = await make(ann);
    expectProblem(await t.request("DELETE", `/tokens/${token.id}`, { token: bob.token }), 404, "TOKEN_NOT_FOUND");
    expect((await t.request("GET", "/me", { token: secret })).statusCode).toBe(200);
    for (const id of ["0", "-1", "abc", "1.5", "99999999999999999999"]) {
      expectProblem(await t.request("DELETE", `/tokens/${id}`, { token: ann.token }), 404, "TOKEN_NOT_FOUND");
    }
    const deleted = await t.request("DELETE", `/tokens/${token.id}`, { token: ann.token });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expectProblem(await t.request("GET", "/me", { token: secret }), 401, "UNAUTHENTICATED");
    expectProblem(await t.request("DELETE", `/tokens/${token.id}`, { token: ann.token }), 404, "TOKEN_NOT_FOUND");
    expect(await list(ann)).toEqual([]);
    expect(await list(bob)).toEqual([]);
  });

  it("stops working at once when its user is deactivated, and again when reactivated", async () => {
    const owner = await t.owner();
    const ann = await t.signUp();
    const { secret } = await make(ann);
    const setActive = (active: boolean) => t.request("PATCH", `/users/${ann.username}`, { token: owner.token, body: { active } });
    expect((await setActive(false)).statusCode).toBe(200);
    expectProblem(await t.request("GET", "/me", { token: secret }), 401, "UNAUTHENTICATED");
    expect((await setActive(true)).statusCode).toBe(200);
    expect((await t.request("GET", "/me", { token: secret })).statusCode).toBe(200);
  });

  it("needs a token to manage tokens at all (401 without one)", async () => {
    expectProblem(await t.request("GET", "/tokens"), 401, "UNAUTHENTICATED");
    expectProblem(await t.request("POST", "/tokens", { body: { name: "x", scope: "read" } }), 401, "UNAUTHENTICATED");
  });
});
