import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { Argon2PasswordHasher } from "../../src/adapters/security/argon2-password-hasher.js";
import { RandomTokenGenerator } from "../../src/adapters/security/random-token-generator.js";

describe("Argon2PasswordHasher", () => {
  const hasher = new Argon2PasswordHasher();

  it("hashes with argon2id at OWASP's parameters and verifies", async () => {
    const hash = await hasher.hash("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await hasher.verify(hash, "correct horse battery")).toBe(true);
    expect(await hasher.verify(hash, "correct horse batterY")).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it("verifies bcrypt hashes left by the seed's service and asks for a rehash", async () => {
    const legacy = await bcrypt.hash("securepassword", 4);
    const seedStyle = legacy.replace(/^\$2a\$/, "$2b$");
    expect(await hasher.verify(seedStyle, "securepassword")).toBe(true);
    expect(await hasher.verify(seedStyle, "wrong")).toBe(false);
    expect(hasher.needsRehash(seedStyle)).toBe(true);
  });

  it("asks for a rehash of weaker argon2 parameters", async () => {
    const argon2 = await import("argon2");
    const weak = await argon2.default.hash("pw-pw-pw-pw", { type: argon2.default.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(hasher.needsRehash(weak)).toBe(true);
  });

  it("verifies nothing against an unreadable hash, without throwing", async () => {
    expect(await hasher.verify("", "x")).toBe(false);
    expect(await hasher.verify("$argon2id$garbage", "x")).toBe(false);
    expect(await hasher.verify("plain-text-password", "plain-text-password")).toBe(false);
  });
});

describe("RandomTokenGenerator", () => {
  const tokens = new RandomTokenGenerator();

  it("issues 256-bit base64url tokens and keeps only their SHA-256", () => {
    const { token, tokenHash } = tokens.issue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.hashOf(token)).toBe(tokenHash);
    expect(tokenHash).not.toContain(token);
  });

  it("never issues the same token twice", () => {
    const seen = new Set(Array.from({ length: 1000 }, () => tokens.issue().token));
    expect(seen.size).toBe(1000);
  });

  it("draws again rather than issue a token with the API token prefix, which would never work as a login", () => {
    const lookalike = Buffer.from(`tt_${"A".repeat(40)}`, "base64url");
    const plain = Buffer.alloc(32, 7);
    const draws = [lookalike, lookalike, plain];
    const generator = new RandomTokenGenerator((size) => {
      expect(size).toBe(32);
      const next = draws.shift();
      if (!next) throw new Error("drew more than expected");
      return next;
    });
    expect(lookalike.toString("base64url")).toMatch(/^tt_/);
    const { token } = generator.issue();
    expect(token).toBe(plain.toString("base64url"));
    expect(draws).toHaveLength(0);
  });
});
