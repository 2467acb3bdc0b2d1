import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem } from "../support/http-expect.js";

/*
 * Managing tokens, webhooks, the password, two-factor login and the account itself needs a login
 * session: a write-scoped API token is refused with 403 SESSION_REQUIRED on every such route,
 * and nothing changes.
 */
describe("credential routes refuse API tokens (SESSION_REQUIRED)", () => {
  let t: TestApp;
  let user: SignedIn;
  let token: string;
  beforeAll(async () => {
    t = await testApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
    user = await t.signUp();
    const made = await t.request("POST", "/tokens", { token: user.token, body: { name: "script", scope: "write" } });
    expect(made.statusCode, made.body).toBe(201);
    token = made.json<{ secret: string }>().secret;
  });
  afterAll(() => t.close());

  const routes: Array<{ method: string; url: string; body?: unknown }> = ([
    ["POST", "/tokens", { name: "another", scope: "read" }],
    ["GET", "/tokens"],
    ["DELETE", "/tokens/1"],
    ["POST", "/webhooks", { url: "http://127.0.0.1:9/hook", events: ["*"] }],
    ["GET", "/webhooks"],
    ["POST", "/me/password", { current_password: "correct horse battery", new_password: "another long password" }],
    ["GET", "/me/sessions"],
    ["GET", "/me/export"],
    ["POST", "/me/totp"],
    ["DELETE", "/me", { password: "correct horse battery" }],
  ] as Array<[string, string, unknown?]>).map(([method, url, body]) => ({ method, url, body }));

  it.each(routes)("$method $url", async ({ method, url, body }) => {
    expectProblem(await t.request(method, url, { token, body }), 403, "SESSION_REQUIRED");
  });

  it("leaves the account as it was: the login session and the password still work", async () => {
    expect((await t.request("GET", "/me", { token: user.token })).statusCode).toBe(200);
    expect((await t.request("GET", "/me", { token })).statusCode).toBe(200);
    expect((await t.logIn(user.username)).token).not.toBe("");
    const tokens = await t.request("GET", "/tokens", { token: user.token });
    expect(tokens.json<{ tokens: unknown[] }>().tokens).toHaveLength(1);
  });
});
