import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, logEntry, makeCategory } from "../support/http-expect.js";
import { FixedClock } from "../support/fakes.js";

/** API.md part 2, "Accounts" (but single sign-on): on the run's store, SQLite or MySQL. */
describe("your account", () => {
  let t: TestApp;
  const clock = new FixedClock(new Date(Math.floor(Date.now() / 30_000) * 30_000));

  beforeAll(async () => {
    t = await testApp({ overrides: { clock } });
  });
  afterAll(() => t.close());

  const codeAt = (secret: string, offsetSteps = 0) =>
    new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
      timestamp: clock.now().getTime() + offsetSteps * 30_000,
    });
  const login = (username: string, extra: object = {}) =>
    t.request("POST", "/login", { body: { username, password: PASSWORD, ...extra } });
  const me = (token: string) => t.request("GET", "/me", { token });
  /** Turns TOTP on for `user`; returns the secret and the recovery codes. */
  const withTotp = async (user: SignedIn) => {
    const setup = await t.request("POST", "/me/totp", { token: user.token });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const confirmed = await t.request("POST", "/me/totp/confirm", { token: user.token, body: { code: codeAt(secret) } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    clock.advanceSeconds(30); // the code of this step is used up
    return { secret, recovery: confirmed.json<{ recovery_codes: string[] }>().recovery_codes };
  };

  describe("POST /me/password", () => {
    it("changes the password and ends every other session, keeping this one", async () => {
      const ann = await t.signUp();
      const other = await t.logIn(ann.username);
      const res = await t.request("POST", "/me/password", {
        token: ann.token,
        body: { current_password: PASSWORD, new_password: "a new passphrase" },
      });
      expect(res.statusCode, res.body).toBe(204);
      expect((await me(ann.token)).statusCode).toBe(200);
      expectProblem(await me(other.token), 401, "UNAUTHENTICATED");
      expectProblem(await login(ann.username), 401, "INVALID_CREDENTIALS");
      expect((await t.request("POST", "/login", { body: { username: ann.username, password: "a new passphrase" } })).statusCode).toBe(200);
    });

    it("refuses a wrong current password (401) and a new one that breaks the registration rules (400)", async () => {
      const ann = await t.signUp();
      const other = await t.logIn(ann.username);
      const wrong = await t.request("POST", "/me/password", {
        token: ann.token,
        body: { current_password: "not it at all", new_password: "a new passphrase" },
      });
      expectProblem(wrong, 401, "INVALID_CREDENTIALS");
      const short = await t.request("POST", "/me/password", { token: ann.token, body: { current_password: PASSWORD, new_password: "short" } });
      expectValidationError(short, "/new_password");
      const extra = await t.request("POST", "/me/password", {
        token: ann.token,
        body: { current_password: PASSWORD, new_password: "a new passphrase", also: 1 },
      });
      expect(extra.statusCode).toBe(400);
      // Nothing changed: the old password and the other session still work.
      expect((await me(other.token)).statusCode).toBe(200);
      expect((await login(ann.username)).statusCode).toBe(200);
    });
  });

  describe("GET and DELETE /me/sessions", () => {
    it("lists the live sessions with public ids, marks the current one, and ends one", async () => {
      const ann = await t.signUp();
      const other = await t.logIn(ann.username);
      const listed = await t.request("GET", "/me/sessions", { token: ann.token });
      expect(listed.statusCode, listed.body).toBe(200);
      const { sessions } = listed.json<{ sessions: { id: string; current: boolean; created_at: string; expires_at: string }[] }>();
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
      for (const session of sessions) {
        expect(Object.keys(session).sort()).toEqual(["created_at", "current", "expires_at", "id"]);
        expect(session.id).toMatch(/^[0-9a-f]{32}$/);
      }
      expect(listed.body).not.toContain(ann.token);
      expect(listed.body).not.toContain(other.token);
      const otherId = sessions.find((session) => !session.current)!.id;
      expect((await t.request("DELETE", `/me/sessions/${otherId}`, { token: ann.token })).statusCode).toBe(204);
      expectProblem(await me(other.token), 401, "UNAUTHENTICATED");
      expectProblem(await t.request("DELETE", `/me/sessions/${otherId}`, { token: ann.token }), 404, "SESSION_NOT_FOUND");
      expect((await t.request("GET", "/me/sessions", { token: ann.token })).json<{ sessions: unknown[] }>().sessions).toHaveLength(1);
    });

    it("answers another user's session, and an id of any other form, as one that does not exist", async () => {
      const ann = await t.signUp();
      const bob = await t.signUp();
      const bobs = (await t.request("GET", "/me/sessions", { token: bob.token })).json<{ sessions: { id: string }[] }>().sessions;
      for (const id of [bobs[0]!.id, "0".repeat(32), "-1", "x".repeat(99), "%20"]) {
        expectProblem(await t.request("DELETE", `/me/sessions/${id}`, { token: ann.token }), 404, "SESSION_NOT_FOUND");
      }
      expect((await me(bob.token)).statusCode).toBe(200);
    });
  });

  describe("GET /me/export", () => {
    it("is one JSON document with the profile, preferences, API tokens, webhooks and every entry, and nothing secret", async () => {
      const ann = await t.signUp();
      const category = await makeCategory(t, ann.token);
      for (let hour = 9; hour < 12; hour++) {
        await logEntry(t, ann.token, { category: category.name, start_time: `2024-03-01 ${String(hour).padStart(2, "0")}:00:00`, end_time: `2024-03-01 ${String(hour).padStart(2, "0")}:30:00` });
      }
      const bob = await t.signUp();
      await logEntry(t, bob.token, { category: category.name, start_time: "2024-03-01 09:00:00", end_time: "2024-03-01 10:00:00" });
      const token = await t.request("POST", "/tokens", { token: ann.token, body: { name: "backup script", scope: "read" } });
      expect(token.statusCode, token.body).toBe(201);
      const tokenSecret = token.json<{ secret: string }>().secret;
      const hook = await t.request("POST", "/webhooks", { token: ann.token, body: { url: "https://203.0.113.7/hook", events: ["*"] } });
      expect(hook.statusCode, hook.body).toBe(201);
      const hookSecret = hook.json<{ secret: string }>().secret;
      await t.request("POST", "/tokens", { token: bob.token, body: { name: "bob's", scope: "write" } });
      const res = await t.request("GET", "/me/export", { token: ann.token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const doc = res.json<{
        profile: object;
        preferences: object;
        api_tokens: { name: string; scope: string }[];
        webhooks: { url: string; events: string[] }[];
        entries: { username: string; start_time: string }[];
      }>();
      expect(doc.profile).toMatchObject({ username: ann.username, role: "member", active: true });
      expect(doc.preferences).toEqual({ daily_targets: [] });
      expect(doc.api_tokens.map((tk) => [tk.name, tk.scope])).toEqual([["backup script", "read"]]);
      expect(doc.webhooks.map((wh) => [wh.url, wh.events])).toEqual([["https://203.0.113.7/hook", ["*"]]]);
      expect(res.body).not.toContain(tokenSecret);
      expect(res.body).not.toContain(hookSecret.slice("whsec_".length));
      expect(res.body).not.toMatch(/tt_|whsec_|secret/);
      expect(doc.entries.map((entry) => [entry.username, entry.start_time])).toEqual([
        [ann.username, "2024-03-01T09:00:00Z"],
        [ann.username, "2024-03-01T10:00:00Z"],
        [ann.username, "2024-03-01T11:00:00Z"],
      ]);
      expect(res.body).not.toMatch(/pwd_hash|password|\$argon2|plain:/);
    });
  });

  describe("DELETE /me", () => {
    it("deletes the account with its entries and sessions, given the password", async () => {
      const owner = await t.owner();
      const ann = await t.signUp();
      const category = await makeCategory(t, ann.token);
      await logEntry(t, ann.token, { category: category.name, start_time: "2024-03-02 09:00:00", end_time: "2024-03-02 10:00:00" });
      const other = await t.logIn(ann.username);
      expectProblem(await t.request("DELETE", "/me", { token: ann.token, body: { password: "not it" } }), 401, "INVALID_CREDENTIALS");
      expect((await me(ann.token)).statusCode).toBe(200);
      expect((await t.request("DELETE", "/me", { token: ann.token, body: { password: PASSWORD } })).statusCode).toBe(204);
      expectProblem(await me(ann.token), 401, "UNAUTHENTICATED");
      expectProblem(await me(other.token), 401, "UNAUTHENTICATED");
      expectProblem(await login(ann.username), 401, "INVALID_CREDENTIALS");
      expectProblem(await t.request("GET", `/entries/${ann.username}`, { token: owner.token }), 404, "USER_NOT_FOUND");
      // The name is free again.
      expect((await t.request("POST", "/register", { body: { username: ann.username, password: PASSWORD } })).statusCode).toBe(201);
    });

    it("refuses the last active owner (409 LAST_OWNER)", async () => {
      const owner = await t.owner();
      expectProblem(await t.request("DELETE", "/me", { token: owner.token, body: { password: PASSWORD } }), 409, "LAST_OWNER");
      expect((await me(owner.token)).statusCode).toBe(200);
    });
  });

  describe("two-factor login (TOTP)", () => {
    it("is set up with a secret and an otpauth URL, and is not on until a code confirms it", async () => {
      const ann = await t.signUp();
      const setup = await t.request("POST", "/me/totp", { token: ann.token });
      expect(setup.statusCode, setup.body).toBe(200);
      const { secret, otpauth_url } = setup.json<{ secret: string; otpauth_url: string }>();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauth_url).toMatch(/^otpauth:\/\/totp\//);
      expect(new URL(otpauth_url).searchParams.get("secret")).toBe(secret);
      expect(otpauth_url).toContain("algorithm=SHA1&digits=6&period=30");
      expect((await login(ann.username)).statusCode).toBe(200);
      // GET /me says whether it is on: a set-up waiting for its code is not.
      expect((await me(ann.token)).json()).toMatchObject({ totp_enabled: false });
      expectProblem(await t.request("POST", "/me/totp/confirm", { token: ann.token, body: { code: "000000" === codeAt(secret) ? "111111" : "000000" } }), 401, "INVALID_CREDENTIALS");
      expectValidationError(await t.request("POST", "/me/totp/confirm", { token: ann.token, body: {} }), "/code");
      const confirmed = await t.request("POST", "/me/totp/confirm", { token: ann.token, body: { code: codeAt(secret) } });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      const codes = confirmed.json<{ recovery_codes: string[] }>().recovery_codes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      expect((await me(ann.token)).json()).toMatchObject({ totp_enabled: true });
      expectProblem(await t.request("POST", "/me/totp", { token: ann.token }), 409, "TOTP_ALREADY_ENABLED");
      expectProblem(await t.request("POST", "/me/totp/confirm", { token: ann.token, body: { code: codeAt(secret) } }), 409, "TOTP_ALREADY_ENABLED");
      expectProblem(await login(ann.username), 401, "TOTP_REQUIRED");
    });

    it("needs a code at login: none TOTP_REQUIRED, wrong INVALID_CREDENTIALS, a current one once", async () => {
      const ann = await t.signUp();
      const { secret } = await withTotp(ann);
      expectProblem(await login(ann.username), 401, "TOTP_REQUIRED");
      expectProblem(await login(ann.username, { password: "wrong password", totp_code: codeAt(secret) }), 401, "INVALID_CREDENTIALS");
      expectProblem(await login(ann.username, { totp_code: codeAt(secret, 5) }), 401, "INVALID_CREDENTIALS");
      expectProblem(await login(ann.username, { totp_code: "not a code" }), 401, "INVALID_CREDENTIALS");
      const code = codeAt(secret);
      expect((await login(ann.username, { totp_code: code })).statusCode).toBe(200);
      // The same step again, and an earlier one, are refused; the next step's code works.
      expectProblem(await login(ann.username, { totp_code: code }), 401, "INVALID_CREDENTIALS");
      expectProblem(await login(ann.username, { totp_code: codeAt(secret, -1) }), 401, "INVALID_CREDENTIALS");
      clock.advanceSeconds(30);
      expect((await login(ann.username, { totp_code: codeAt(secret) })).statusCode).toBe(200);
    });

    it("takes each recovery code once, in place of a TOTP code, however it is typed", async () => {
      const ann = await t.signUp();
      const { recovery } = await withTotp(ann);
      expect((await login(ann.username, { totp_code: recovery[0]!.toUpperCase() })).statusCode).toBe(200);
      expectProblem(await login(ann.username, { totp_code: recovery[0] }), 401, "INVALID_CREDENTIALS");
      expect((await login(ann.username, { totp_code: recovery[1]!.replaceAll("-", "") })).statusCode).toBe(200);
    });

    it("is turned off with a code; then a login needs none", async () => {
      const ann = await t.signUp();
      const { secret, recovery } = await withTotp(ann);
      expectProblem(await t.request("DELETE", "/me/totp", { token: ann.token, body: { code: "123-not" } }), 401, "INVALID_CREDENTIALS");
      expectProblem(await login(ann.username), 401, "TOTP_REQUIRED");
      expect((await me(ann.token)).json()).toMatchObject({ totp_enabled: true });
      expect((await t.request("DELETE", "/me/totp", { token: ann.token, body: { code: recovery[3] } })).statusCode).toBe(204);
      expect((await me(ann.token)).json()).toMatchObject({ totp_enabled: false });
      expect((await login(ann.username)).statusCode).toBe(200);
      expectProblem(await t.request("DELETE", "/me/totp", { token: ann.token, body: { code: codeAt(secret) } }), 409, "TOTP_NOT_ENABLED");
      expectProblem(await t.request("POST", "/me/totp/confirm", { token: ann.token, body: { code: "123456" } }), 409, "TOTP_NOT_ENABLED");
    });

    it("lets one of two logins with the same code win (race), and one of two with the same recovery code", async () => {
      const ann = await t.signUp();
      const { secret, recovery } = await withTotp(ann);
      const code = codeAt(secret);
      const same = await Promise.all(Array.from({ length: 4 }, () => login(ann.username, { totp_code: code })));
      expect(same.map((res) => res.statusCode).sort()).toEqual([200, 401, 401, 401]);
      const recovered = await Promise.all(Array.from({ length: 4 }, () => login(ann.username, { totp_code: recovery[5] })));
      expect(recovered.map((res) => res.statusCode).sort()).toEqual([200, 401, 401, 401]);
    });
  });

  // Last: the instance's first owner may be the one who goes.
  it("lets one of two owners who delete themselves at once go, and refuses the other: LAST_OWNER (race)", async () => {
    const first = await t.owner();
    const second = await t.signUp();
    const promoted = await t.request("PATCH", `/users/${second.username}`, { token: first.token, body: { role: "owner" } });
    expect(promoted.statusCode, promoted.body).toBe(200);
    const answers = await Promise.all(
      [first, second].map((owner) => t.request("DELETE", "/me", { token: owner.token, body: { password: PASSWORD } })),
    );
    expect(answers.map((res) => res.statusCode).sort()).toEqual([204, 409]);
    expect(await t.store.users.countActiveOwners()).toBe(1);
  });
});
