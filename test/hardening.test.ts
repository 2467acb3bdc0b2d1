import { afterEach, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type TestApp } from "./support/http.js";
import { uniqueName } from "./support/names.js";

describe("hardening", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("limits registrations per client address, with 429 problem+json and retry-after", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "3" } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await t.request("POST", "/register", { body: { username: uniqueName("r"), password: PASSWORD } })).statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await t.request("POST", "/register", { body: { username: uniqueName("r"), password: PASSWORD } });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.json()).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(3500);
    // Another address is not limited.
    const other = await t.app.inject({
      method: "POST", url: "/register", remoteAddress: "10.9.8.7",
      payload: { username: uniqueName("r"), password: PASSWORD },
    });
    expect(other.statusCode).toBe(201);
    // Logins are not counted against registrations.
    expect((await t.request("GET", "/health")).statusCode).toBe(200);
  });

  it("turns the registration limit off with 0", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "0" } });
    for (let i = 0; i < 25; i++) {
      expect((await t.request("POST", "/register", { body: { username: uniqueName("r"), password: PASSWORD } })).statusCode).toBe(201);
    }
  });

  it("refuses logins for a username after too many failures, correct password included", async () => {
    t = await testApp({ env: { RATE_LIMIT_LOGIN_FAILURES: "3" } });
    const { username } = await t.signUp();
    for (let i = 0; i < 3; i++) {
      expect((await t.request("POST", "/login", { body: { username, password: "wrong-password" } })).statusCode).toBe(401);
    }
    const refused = await t.request("POST", "/login", { body: { username, password: PASSWORD } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(800);
    // Someone else still logs in.
    const other = await t.signUp();
    expect(other.token).toBeTruthy();
  });

  it("sends helmet's security headers", async () => {
    t = await testApp();
    const res = await t.request("GET", "/health");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    // HSTS only when PUBLIC_URL is https (test/adapters/web-session.test.ts checks both ways).
    expect(res.headers["strict-transport-security"]).toBeUndefined();
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("allows no cross-origin reads unless CORS_ORIGINS lists the origin", async () => {
    t = await testApp();
    const closed = await t.request("GET", "/health", { headers: { origin: "https://evil.example" } });
    expect(closed.headers["access-control-allow-origin"]).toBeUndefined();
    await t.close();

    t = await testApp({ env: { CORS_ORIGINS: "https://app.example" } });
    const allowed = await t.request("OPTIONS", "/entry", {
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example");
    const denied = await t.request("GET", "/health", { headers: { origin: "https://evil.example" } });
    expect(denied.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("still serves the Swagger UI under its own content security policy", async () => {
    t = await testApp();
    const res = await t.app.inject({ method: "GET", url: "/docs/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain("swagger");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
  });
});
