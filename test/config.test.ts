import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("has the seed's defaults and the embedded store when nothing is set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      storage: "sqlite",
      sqlitePath: "./data/time-tracker.sqlite",
      logLevel: "info",
      sessionTtlSeconds: 86_400,
      rateLimit: { registerPerHour: 20, loginFailures: 10 },
      corsOrigins: [],
      trustProxy: [],
      mysql: { port: 3306, user: "username", password: "1234", database: "time_tracker", poolSize: 5 },
    });
  });

  it("chooses MySQL when DB_HOST is set, and an explicit STORAGE wins", () => {
    expect(loadConfig({ DB_HOST: "mysql-db" }).storage).toBe("mysql");
    expect(loadConfig({ DB_HOST: "mysql-db", STORAGE: "memory" }).storage).toBe("memory");
    expect(loadConfig({ STORAGE: "SQLite" }).storage).toBe("sqlite");
  });

  it("reads the seed's FLASK_DEBUG as debug logging", () => {
    expect(loadConfig({ FLASK_DEBUG: "true" }).logLevel).toBe("debug");
    expect(loadConfig({ FLASK_DEBUG: "False" }).logLevel).toBe("info");
    expect(loadConfig({ FLASK_DEBUG: "true", LOG_LEVEL: "warn" }).logLevel).toBe("warn");
  });

  it("reads the registration policy, open by default", () => {
    expect(loadConfig({}).registration).toBe("open");
    expect(loadConfig({ REGISTRATION: " Invite " }).registration).toBe("invite");
    expect(loadConfig({ REGISTRATION: "closed" }).registration).toBe("closed");
  });

  it("splits CORS origins", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example, http://localhost:5173" }).corsOrigins).toEqual([
      "https://a.example",
      "http://localhost:5173",
    ]);
  });

  it("lists the trusted proxies' addresses and CIDRs, IPv4 and IPv6", () => {
    expect(loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,::1,2001:db8::/32" }).trustProxy).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "2001:db8::/32",
    ]);
    expect(loadConfig({ TRUST_PROXY: "" }).trustProxy).toEqual([]);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "-1" }, "PORT"],
    [{ STORAGE: "postgres" }, "STORAGE"],
    [{ STORAGE: "mysql" }, "DB_HOST"],
    [{ DB_HOST: "h", DB_PORT: "x" }, "DB_PORT"],
    [{ DB_POOL_SIZE: "0" }, "DB_POOL_SIZE"],
    [{ SESSION_TTL_SECONDS: "1.5" }, "SESSION_TTL_SECONDS"],
    [{ RATE_LIMIT_LOGIN_FAILURES: "many" }, "RATE_LIMIT_LOGIN_FAILURES"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ CORS_ORIGINS: "not an origin" }, "CORS_ORIGINS"],
    [{ REGISTRATION: "invite-only" }, "REGISTRATION"],
    [{ TRUST_PROXY: "proxy.example" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "127.0.0.1,10.0.0.300" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "10.0.0.0/33" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "::1/129" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "10.0.0.0/0" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "true" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "1" }, "TRUST_PROXY"],
  ])("stops on a bad value with one line naming the variable: %j", (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message.startsWith(variable)).toBe(true);
      expect((error as ConfigError).message).not.toContain("\n");
    }
  });

  it("never puts the database password in an error", () => {
    expect(() => loadConfig({ DB_HOST: "h", DB_PASSWORD: "hunter2", DB_PORT: "x" })).toThrow(/^DB_PORT(?!.*hunter2)/);
  });
});

describe("configuration: single sign-on (OIDC_*)", () => {
  const sso = { OIDC_ISSUER: "https://id.example.com/realms/acme", OIDC_CLIENT_ID: "time-tracker", OIDC_CLIENT_SECRET: "s3cret" };

  it("is off without the variables, on with all three, auto-registration off unless OIDC_AUTO_REGISTER=true", () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(loadConfig(sso).oidc).toEqual({
      issuer: new URL(sso.OIDC_ISSUER),
      clientId: "time-tracker",
      clientSecret: "s3cret",
      autoRegister: false,
    });
    expect(loadConfig({ ...sso, OIDC_AUTO_REGISTER: "true" }).oidc?.autoRegister).toBe(true);
    expect(loadConfig({ ...sso, OIDC_AUTO_REGISTER: "false" }).oidc?.autoRegister).toBe(false);
    expect(loadConfig({ ...sso, OIDC_ISSUER: "http://localhost:8080/realms/dev" }).oidc?.issuer.port).toBe("8080");
  });

  it("stops start-up naming the variable: one or two of the three, a non-https issuer, a bad flag", () => {
    expect(() => loadConfig({ OIDC_ISSUER: sso.OIDC_ISSUER })).toThrow(/^OIDC_CLIENT_ID must be set/);
    expect(() => loadConfig({ ...sso, OIDC_CLIENT_SECRET: "" })).toThrow(/^OIDC_CLIENT_SECRET must be set/);
    expect(() => loadConfig({ ...sso, OIDC_ISSUER: "http://id.example.com" })).toThrow(/^OIDC_ISSUER must be/);
    expect(() => loadConfig({ ...sso, OIDC_ISSUER: "not a url" })).toThrow(/^OIDC_ISSUER must be/);
    expect(() => loadConfig({ ...sso, OIDC_ISSUER: `https://id.example.com/${"x".repeat(250)}` })).toThrow(/^OIDC_ISSUER/);
    expect(() => loadConfig({ ...sso, OIDC_AUTO_REGISTER: "maybe" })).toThrow(/^OIDC_AUTO_REGISTER must be true or false/);
    expect(() => loadConfig({ OIDC_AUTO_REGISTER: "maybe" })).toThrow(/^OIDC_AUTO_REGISTER/);
  });
});
