import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import { expectProblem } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";
import { startOidcProvider, type TestOidcProvider } from "../support/oidc-provider.js";

/*
 * API.md "Accounts", single sign-on: a real OpenID provider (oidc-provider) in this process, the
 * whole authorization code flow with PKCE walked as a browser would, and the refusals: a wrong
 * state, a wrong nonce, a tampered ID token, an unknown sub without auto-registration.
 */

const PUBLIC_URL = "http://localhost:3000";
const REDIRECT_URI = `${PUBLIC_URL}/auth/oidc/callback`;
const WEB = { "x-requested-with": "time-tracker-web" };

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider({ redirectUri: REDIRECT_URI });
});
afterAll(async () => {
  await provider?.close();
});

const ssoEnv = (autoRegister: boolean): Record<string, string> => ({
  PUBLIC_URL,
  OIDC_ISSUER: provider.issuer,
  OIDC_CLIENT_ID: provider.clientId,
  OIDC_CLIENT_SECRET: provider.clientSecret,
  OIDC_AUTO_REGISTER: String(autoRegister),
});

function cookieOf(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((cookie) => cookie.name === name);
}

interface Started {
  /** The provider's authorization URL the browser is sent to. */
  readonly location: string;
  /** The Cookie header that carries the pending sign-in back. */
  readonly cookie: string;
}

async function startLogin(t: TestApp, url = "/auth/oidc/login", headers: Record<string, string> = {}): Promise<Started> {
  const res = await t.request("GET", url, { headers });
  expect(res.statusCode, res.body).toBe(302);
  const pending = cookieOf(res, "tt_oidc");
  expect(pending).toBeDefined();
  return { location: String(res.headers.location), cookie: `tt_oidc=${pending?.value}` };
}

/** The browser's return from the provider to the callback, with the pending cookie. */
function callback(t: TestApp, url: URL, cookie: string): Promise<LightMyRequestResponse> {
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
  return t.request("GET", `${url.pathname}${url.search}`, { headers: { cookie } });
}

/** Signs in through the provider as `sub`; returns the callback's answer. */
async function signIn(t: TestApp, sub: string, claims: { preferred_username?: string; email?: string } = {}) {
  const started = await startLogin(t);
  return callback(t, await provider.signInAs(started.location, sub, claims), started.cookie);
}

/** The account the session cookie of a successful callback belongs to. */
async function meOf(t: TestApp, res: LightMyRequestResponse): Promise<{ user_id: number; username: string; role: string }> {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe("/");
  const session = cookieOf(res, "tt_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  const me = await t.request("GET", "/me", { headers: { cookie: `tt_session=${session?.value}` } });
  expect(me.statusCode, me.body).toBe(200);
  return me.json();
}

function expectNoSession(res: LightMyRequestResponse): void {
  expect(cookieOf(res, "tt_session")).toBeUndefined();
}

describe("single sign-on, off (no OIDC_* variables)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("says so on GET /auth/oidc, and its login and callback routes answer 404", async () => {
    const status = await t.request("GET", "/auth/oidc");
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ enabled: false, login_url: null });
    expectProblem(await t.request("GET", "/auth/oidc/login"), 404, "NOT_FOUND");
    expectProblem(await t.request("GET", "/auth/oidc/callback?code=x&state=y"), 404, "NOT_FOUND");
  });
});

describe("single sign-on with OIDC_AUTO_REGISTER=true", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: ssoEnv(true) });
  });
  afterAll(() => t.close());

  it("says it is on, and redirects to the provider with PKCE (S256), state and nonce, kept in a signed Lax cookie", async () => {
    expect((await t.request("GET", "/auth/oidc")).json()).toEqual({ enabled: true, login_url: "/auth/oidc/login" });
    const res = await t.request("GET", "/auth/oidc/login");
    expect(res.statusCode).toBe(302);
    const url = new URL(String(res.headers.location));
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      code_challenge_method: "S256",
      scope: "openid profile email",
    });
    for (const name of ["state", "nonce", "code_challenge"]) expect(url.searchParams.get(name)?.length).toBeGreaterThanOrEqual(43);
    expect(cookieOf(res, "tt_oidc")).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/auth/oidc", maxAge: 600 });
    // The verifier stays with the service's cookie; the provider sees only its challenge.
    expect(String(res.headers.location)).not.toContain(cookieOf(res, "tt_oidc")?.value ?? "");
  });

  it("walks the whole flow: a first sign-in makes a member named after preferred_username, a second finds it by sub", async () => {
    const sub = uniqueName("sub");
    const name = uniqueName("Jane Doe");
    const first = await meOf(t, await signIn(t, sub, { preferred_username: name }));
    expect(first).toMatchObject({ username: name.replace(/ /g, "-"), role: "member" });
    // Found by sub: a changed preferred_username (or e-mail) changes nothing.
    const again = await meOf(t, await signIn(t, sub, { preferred_username: "renamed", email: "other@example.com" }));
    expect(again.user_id).toBe(first.user_id);
  });

  it("answers with JSON instead of redirects to a client that asks for it (the cookies are the same)", async () => {
    const json = { accept: "application/json" };
    const start = await t.request("GET", "/auth/oidc/login", { headers: json });
    expect(start.statusCode, start.body).toBe(200);
    const { authorization_url } = start.json<{ authorization_url: string }>();
    const sub = uniqueName("json");
    const back = await provider.signInAs(authorization_url, sub, { preferred_username: sub });
    const done = await t.request("GET", `${back.pathname}${back.search}`, {
      headers: { ...json, cookie: `tt_oidc=${cookieOf(start, "tt_oidc")?.value}` },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ message: "Login successful", username: sub, linked: false, expires_at: expect.any(String) });
    expect(cookieOf(done, "tt_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  });

  it("never links by name: another sub with a taken preferred_username gets a new account with a free name", async () => {
    const name = uniqueName("sam");
    const taken = await t.signUp(name);
    const other = await meOf(t, await signIn(t, uniqueName("sub"), { preferred_username: name }));
    expect(other.user_id).not.toBe(taken.userId);
    expect(other.username).toBe(`${name}-2`);
    // An e-mail address gives its local part; no usable hint gives sso-<sub>.
    expect((await meOf(t, await signIn(t, "e-1" + name, { email: `Ann.${name}@example.com` }))).username).toBe(`Ann.${name}`);
    expect((await meOf(t, await signIn(t, `x|${name}`))).username).toBe(`sso-x-${name}`);
  });

  it("race: of two first sign-ins of one person at once, one account is made", async () => {
    const sub = uniqueName("racer");
    const flows = [await startLogin(t), await startLogin(t)];
    const returns: URL[] = [];
    for (const flow of flows) returns.push(await provider.signInAs(flow.location, sub, { preferred_username: sub }));
    const answers = await Promise.all(flows.map((flow, i) => callback(t, returns[i] as URL, flow.cookie)));
    const ids = await Promise.all(answers.map(async (res) => (await meOf(t, res)).user_id));
    expect(ids[0]).toBe(ids[1]);
    const users = (await t.request("GET", "/users?limit=1000", { token: (await t.owner()).token })).json<{ users: { username: string }[] }>();
    expect(users.users.filter((user) => user.username.startsWith(sub))).toHaveLength(1);
  });

  it("refuses the callback without the pending cookie, with a forged one, and a second use of one", async () => {
    const started = await startLogin(t);
    const back = await provider.signInAs(started.location, uniqueName("sub"));
    expectProblem(await t.request("GET", `${back.pathname}${back.search}`), 401, "UNAUTHENTICATED");
    const forged = Buffer.from(JSON.stringify({ state: "a", nonce: "b", codeVerifier: "c", link: 1, until: 9e9 })).toString("base64url");
    expectProblem(await callback(t, back, `tt_oidc=${forged}.c2lnbmF0dXJl`), 401, "UNAUTHENTICATED");
    const used = await callback(t, back, started.cookie);
    expect(used.statusCode).toBe(302);
    const replay = await callback(t, back, started.cookie);
    expectProblem(replay, 401, "UNAUTHENTICATED");
    expectNoSession(replay);
  });
});

describe("single sign-on without auto-registration (the default)", () => {
  let t: TestApp;
  beforeAll(async () => {
    const env = ssoEnv(false);
    delete env.OIDC_AUTO_REGISTER;
    t = await testApp({ env });
  });
  afterAll(() => t.close());

  /** A user signed in to the web app (the session cookie), who links `sub` to their account. */
  async function linked(sub: string): Promise<{ username: string; userId: number; cookie: string }> {
    const user = await t.signUp();
    const login = await t.request("POST", "/login", { body: { username: user.username, password: PASSWORD }, headers: WEB });
    const cookie = `tt_session=${cookieOf(login, "tt_session")?.value}`;
    const started = await startLogin(t, "/auth/oidc/login?link=true", { cookie });
    const res = await callback(t, await provider.signInAs(started.location, sub), started.cookie);
    expect(res.statusCode, res.body).toBe(302);
    return { ...user, cookie };
  }

  it("refuses an unknown sub with 403 FORBIDDEN, and makes no account", async () => {
    const sub = uniqueName("stranger");
    const res = await signIn(t, sub, { preferred_username: sub });
    expectProblem(res, 403, "FORBIDDEN");
    expectNoSession(res);
    const users = (await t.request("GET", "/users?limit=1000", { token: (await t.owner()).token })).json<{ users: { username: string }[] }>();
    expect(users.users.map((user) => user.username)).not.toContain(sub);
  });

  it("links a sub to the account signed in with the web app, which then signs in with it", async () => {
    const sub = uniqueName("linked");
    const user = await linked(sub);
    expect((await meOf(t, await signIn(t, sub))).user_id).toBe(user.userId);
    // Not a second time, to another account.
    const other = await t.signUp();
    const login = await t.request("POST", "/login", { body: { username: other.username, password: PASSWORD }, headers: WEB });
    const started = await startLogin(t, "/auth/oidc/login?link=true", { cookie: `tt_session=${cookieOf(login, "tt_session")?.value}` });
    expectProblem(await callback(t, await provider.signInAs(started.location, sub), started.cookie), 403, "FORBIDDEN");
  });

  it("links only for a signed-in user (401 without the session cookie)", async () => {
    expectProblem(await t.request("GET", "/auth/oidc/login?link=true"), 401, "UNAUTHENTICATED");
    expectProblem(await t.request("GET", "/auth/oidc/login?link=maybe"), 400, "VALIDATION_FAILED");
    expectProblem(await t.request("GET", "/auth/oidc/login?other=1"), 400, "VALIDATION_FAILED");
  });

  it("refuses a wrong state (401), and signs nobody in", async () => {
    const sub = uniqueName("state");
    await linked(sub);
    const started = await startLogin(t);
    const back = await provider.signInAs(started.location, sub);
    back.searchParams.set("state", "not-the-state-we-sent");
    const res = await callback(t, back, started.cookie);
    expectProblem(res, 401, "UNAUTHENTICATED");
    expectNoSession(res);
  });

  it("refuses an ID token with a wrong nonce (401)", async () => {
    const sub = uniqueName("nonce");
    await linked(sub);
    const started = await startLogin(t);
    const authorize = new URL(started.location);
    authorize.searchParams.set("nonce", "a-nonce-of-someone-elses-flow-0123456789abc");
    const res = await callback(t, await provider.signInAs(authorize.href, sub), started.cookie);
    expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.json<{ detail: string }>().detail).toMatch(/nonce/i);
    expectNoSession(res);
  });

  it("refuses a tampered ID token (its signature no longer matches: 401)", async () => {
    const sub = uniqueName("tamper");
    await linked(sub);
    const started = await startLogin(t);
    const back = await provider.signInAs(started.location, sub);
    provider.tamperNextIdToken();
    const res = await callback(t, back, started.cookie);
    expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.json<{ detail: string }>().detail).toMatch(/signature/i);
    expectNoSession(res);
  });

  it("refuses a deactivated user as POST /login does (401 INVALID_CREDENTIALS)", async () => {
    const sub = uniqueName("gone");
    const user = await linked(sub);
    const owner = await t.owner();
    expect((await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { active: false } })).statusCode).toBe(200);
    expectProblem(await signIn(t, sub), 401, "INVALID_CREDENTIALS");
  });

  it("refuses a provider's error answer (access_denied) with 401", async () => {
    const started = await startLogin(t);
    const state = new URL(started.location).searchParams.get("state") ?? "";
    const back = new URL(`${REDIRECT_URI}?error=access_denied&state=${state}&iss=${encodeURIComponent(provider.issuer)}`);
    expectProblem(await callback(t, back, started.cookie), 401, "UNAUTHENTICATED");
  });
});

describe("single sign-on on an empty instance, and with the provider down", () => {
  it("makes the instance's first account its owner", async () => {
    const t = await testApp({ env: ssoEnv(true), empty: true });
    try {
      expect((await meOf(t, await signIn(t, uniqueName("first")))).role).toBe("owner");
    } finally {
      await t.close();
    }
  });

  it("answers 503 UNAVAILABLE while the provider cannot be reached", async () => {
    const t = await testApp({ env: { ...ssoEnv(true), OIDC_ISSUER: "http://127.0.0.1:9" } });
    try {
      expectProblem(await t.request("GET", "/auth/oidc/login"), 503, "UNAVAILABLE");
    } finally {
      await t.close();
    }
  });
});
