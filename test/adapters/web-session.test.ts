import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import { uniqueName } from "../support/names.js";

const WEB = { "x-requested-with": "time-tracker-web" };

/** The Set-Cookie header of a response, as one string. */
function setCookie(response: { headers: Record<string, unknown> }): string {
  const value = response.headers["set-cookie"];
  return Array.isArray(value) ? value.join("\n") : String(value ?? "");
}

async function webLogin(t: TestApp): Promise<{ username: string; cookie: string; setCookie: string; body: { token: string } }> {
  const username = uniqueName("web");
  await t.request("POST", "/register", { body: { username, password: PASSWORD } });
  const login = await t.request("POST", "/login", { body: { username, password: PASSWORD }, headers: WEB });
  expect(login.statusCode).toBe(200);
  const header = setCookie(login);
  const match = /tt_session=([^;]+)/.exec(header);
  expect(match).not.toBeNull();
  return { username, cookie: `tt_session=${match?.[1] ?? ""}`, setCookie: header, body: login.json() };
}

describe("web app session over plain HTTP (the default PUBLIC_URL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("sends neither HSTS nor upgrade-insecure-requests, on the API and on the app", async () => {
    for (const url of ["/health", "/"]) {
      const response = await t.request("GET", url);
      expect(response.headers["strict-transport-security"]).toBeUndefined();
      expect(String(response.headers["content-security-policy"])).not.toContain("upgrade-insecure-requests");
    }
  });

  it("keeps the API's default-src 'none' policy and gives the app's pages a strict self-only one", async () => {
    expect(String((await t.request("GET", "/health")).headers["content-security-policy"])).toContain("default-src 'none'");
    const page = await t.request("GET", "/entries", { headers: { accept: "text/html,*/*" } });
    const policy = String(page.headers["content-security-policy"]);
    for (const directive of ["script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain("unsafe-inline");
    // Built: the page; not built: a plain hint how to build it. Never the API's 404.
    expect([200, 503]).toContain(page.statusCode);
  });

  it("keeps unknown API paths and unknown assets problem+json 404s (no fallback to the app)", async () => {
    // /entries and /reports are the app's pages only for a browser's page load (Accept: text/html).
    for (const url of ["/entries", "/reports", "/nope", "/entry/x/y", "/assets/missing-1234.js"]) {
      const response = await t.request("GET", url, { headers: { accept: "application/json" } });
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toContain("application/problem+json");
    }
  });

  it("sets an httpOnly, SameSite=Strict, not Secure cookie on a web login, and leaves the token out of the body", async () => {
    const { setCookie: header, body } = await webLogin(t);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).not.toMatch(/;\s*Secure/i);
    expect(header).toMatch(/Path=\//);
    expect(body.token).toBe("");
  });

  it("leaves bearer clients as they were: a token in the body, no cookie", async () => {
    const { token } = await t.signUp();
    expect(token.length).toBeGreaterThan(20);
    const login = await t.request("POST", "/register", { body: { username: uniqueName("b"), password: PASSWORD } });
    expect(login.headers["set-cookie"]).toBeUndefined();
    expect((await t.request("GET", "/me", { token })).statusCode).toBe(200);
  });

  it("accepts the cookie for reads and for writes that carry the header", async () => {
    const { cookie, username } = await webLogin(t);
    const me = await t.request("GET", "/me", { headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ username: string }>().username).toBe(username);
    const created = await t.request("POST", "/category", { body: { name: "Web work" }, headers: { cookie, ...WEB } });
    expect([200, 201]).toContain(created.statusCode);
    const sameOrigin = await t.request("POST", "/category", {
      body: { name: "Web work" },
      headers: { cookie, ...WEB, origin: "http://localhost:3000" },
    });
    expect(sameOrigin.statusCode).toBe(200);
    const ownHost = await t.request("POST", "/category", {
      body: { name: "Web work" },
      headers: { cookie, ...WEB, host: "192.168.1.10:3000", origin: "http://192.168.1.10:3000" },
    });
    expect(ownHost.statusCode).toBe(200);
  });

  it("refuses a cookie write without the header, or from another origin, with 403 FORBIDDEN", async () => {
    const { cookie } = await webLogin(t);
    const noHeader = await t.request("POST", "/category", { body: { name: "Csrf" }, headers: { cookie } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.headers["content-type"]).toContain("application/problem+json");
    expect(noHeader.json<{ code: string }>().code).toBe("FORBIDDEN");
    const otherOrigin = await t.request("POST", "/category", {
      body: { name: "Csrf" },
      headers: { cookie, ...WEB, origin: "https://evil.example" },
    });
    expect(otherOrigin.statusCode).toBe(403);
    expect(otherOrigin.json<{ code: string }>().code).toBe("FORBIDDEN");
    const logout = await t.request("POST", "/logout", { headers: { cookie } });
    expect(logout.statusCode).toBe(403);
    const del = await t.request("DELETE", "/entry/1", { headers: { cookie, origin: "http://localhost:3000" } });
    expect(del.statusCode).toBe(403);
  });

  it("does not let a cookie stand in when an Authorization header is sent, even a bad one", async () => {
    const { cookie } = await webLogin(t);
    const response = await t.request("GET", "/me", { headers: { cookie, authorization: "Bearer nope" } });
    expect(response.statusCode).toBe(401);
  });

  it("clears the cookie on POST /logout and the session stops working", async () => {
    const { cookie } = await webLogin(t);
    const logout = await t.request("POST", "/logout", { headers: { cookie, ...WEB } });
    expect(logout.statusCode).toBe(204);
    expect(setCookie(logout)).toMatch(/tt_session=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/i);
    expect((await t.request("GET", "/me", { headers: { cookie } })).statusCode).toBe(401);
  });
});

describe("web app session behind https (PUBLIC_URL=https://…)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { PUBLIC_URL: "https://time.example.com" } });
  });
  afterAll(() => t.close());

  it("sends HSTS and upgrade-insecure-requests, on the API and on the app", async () => {
    for (const url of ["/health", "/"]) {
      const response = await t.request("GET", url);
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(String(response.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
    }
  });

  it("marks the cookie Secure and accepts writes from PUBLIC_URL's origin only", async () => {
    const { setCookie: header, cookie } = await webLogin(t);
    expect(header).toMatch(/;\s*Secure/i);
    const ok = await t.request("POST", "/category", {
      body: { name: "Secure work" },
      headers: { cookie, ...WEB, origin: "https://time.example.com" },
    });
    expect([200, 201]).toContain(ok.statusCode);
    const bad = await t.request("POST", "/category", {
      body: { name: "Secure work" },
      headers: { cookie, ...WEB, origin: "http://time.example.com" },
    });
    expect(bad.statusCode).toBe(403);
  });
});

describe("PUBLIC_URL", () => {
  it("defaults to http://localhost:$PORT and refuses anything but an http(s) URL, in one line", async () => {
    const { loadConfig, ConfigError } = await import("../../src/config.js");
    expect(loadConfig({}).publicUrl.origin).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "8080" }).publicUrl.origin).toBe("http://localhost:8080");
    expect(loadConfig({ PUBLIC_URL: "https://time.example.com/" }).publicUrl.origin).toBe("https://time.example.com");
    for (const bad of ["time.example.com", "ftp://x.example", "https://", "not a url"]) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(/^PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/);
    }
  });
});
