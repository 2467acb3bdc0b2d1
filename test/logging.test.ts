import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { openTestStore } from "./support/stores.js";
import { Argon2PasswordHasher } from "../src/adapters/security/argon2-password-hasher.js";
import { createLogger } from "../src/logger.js";

describe("logs", () => {
  it("carry no password, token or hash, even at trace level", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger("trace", sink);
    const store = await openTestStore();
    const app = await buildApp({ store, logger, overrides: { passwordHasher: new Argon2PasswordHasher() } });
    const password = "very-secret-password-42";
    await app.inject({ method: "POST", url: "/register", payload: { username: "logann", password } });
    await app.inject({ method: "POST", url: "/login", payload: { username: "logann", password: "wrong-password-99" } });
    const login = await app.inject({ method: "POST", url: "/login", payload: { username: "logann", password } });
    const token = login.json<{ token: string }>().token;
    await app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${token}x` } });
    // A direct attempt to log a credential-shaped object is censored too.
    logger.info({ user: { password, token, passwordHash: "$argon2id$abc" } }, "object with secrets");
    await app.close();

    const text = lines.join("");
    expect(lines.length).toBeGreaterThan(5);
    expect(text).toContain("incoming request");
    expect(text).toContain("[redacted]");
    for (const secret of [password, "wrong-password-99", token, "$argon2id$"]) {
      expect(text).not.toContain(secret);
    }
  });
});
