import type { RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { Argon2PasswordHasher } from "../../src/adapters/security/argon2-password-hasher.js";
import { RandomTokenGenerator } from "../../src/adapters/security/random-token-generator.js";
import { Authenticate } from "../../src/application/authenticate.js";
import { LogIn } from "../../src/application/log-in.js";
import { SecondFactor } from "../../src/application/accounts.js";
import { OtpauthTotpAuthenticator } from "../../src/adapters/identity/otpauth-totp.js";
import type { LoginThrottle } from "../../src/application/ports/login-throttle.js";
import { InvalidCredentials } from "../../src/domain/errors.js";
import { FixedClock } from "../support/fakes.js";
import {
  buildSeedDatabase,
  createTestDatabase,
  mysqlAvailable,
  SEED_USERS,
  seedHashes,
  type TestDatabase,
} from "../support/mysql-database.js";

/** Accounts the seed's service made keep working: bcrypt verifies once, then argon2id replaces it. */
describe.skipIf(!mysqlAvailable)("legacy bcrypt passwords in a seed database on MySQL", () => {
  let database: TestDatabase;
  let store: MySqlStore;
  const clock = new FixedClock(new Date("2026-03-01T12:00:00Z"));
  const hasher = new Argon2PasswordHasher();
  const tokens = new RandomTokenGenerator();
  const noThrottle: LoginThrottle = {
    retryAfterSeconds: async () => 0,
    recordFailure: async () => undefined,
    reset: async () => undefined,
  };

  beforeAll(async () => {
    database = await createTestDatabase("legacy_pw");
    const connection = await database.connect();
    try {
      await buildSeedDatabase(connection, { form: "schema.sql", hashes: await seedHashes() });
    } finally {
      await connection.end();
    }
    store = await database.openStore({ poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  async function storedHash(username: string): Promise<{ hash: string; salt: Buffer }> {
    const connection = await database.connect();
    try {
      const [rows] = await connection.execute<RowDataPacket[]>("SELECT pwd_hash, salt FROM users WHERE username = ?", [username]);
      return { hash: Buffer.from(rows[0]?.pwd_hash as Buffer).toString("utf8"), salt: Buffer.from(rows[0]?.salt as Buffer) };
    } finally {
      await connection.end();
    }
  }

  it("logs a seed user in with their bcrypt password, then keeps an argon2id hash instead", async () => {
    const seedUser = SEED_USERS[1]!; // "Jürgen", a non-ASCII name and password
    expect((await storedHash(seedUser.username)).hash).toMatch(/^\$2b\$12\$/);
    const logIn = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, noThrottle, new SecondFactor(store.twoFactor, new OtpauthTotpAuthenticator(null), tokens, clock));

    await expect(logIn.execute({ username: seedUser.username, password: "wrong password" })).rejects.toBeInstanceOf(InvalidCredentials);
    expect((await storedHash(seedUser.username)).hash).toMatch(/^\$2b\$/);

    const loggedIn = await logIn.execute({ username: "jürgen", password: seedUser.password });
    expect(loggedIn.user.username).toBe(seedUser.username);
    const after = await storedHash(seedUser.username);
    expect(after.hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(after.salt.length).toBe(0);
    expect(hasher.needsRehash(after.hash)).toBe(false);

    // The token works, and the password still does, now against argon2id.
    const authenticated = await new Authenticate(store.sessions, tokens, clock).execute({ token: loggedIn.token });
    expect(authenticated).toMatchObject({ id: loggedIn.user.id, username: seedUser.username });
    const again = await logIn.execute({ username: seedUser.username, password: seedUser.password });
    expect(again.user.passwordHash).toBe(after.hash);
    expect((await storedHash(seedUser.username)).hash).toBe(after.hash);
  });

  it("still refuses a wrong password for a seed user who was not upgraded", async () => {
    const seedUser = SEED_USERS[0]!;
    const logIn = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, noThrottle, new SecondFactor(store.twoFactor, new OtpauthTotpAuthenticator(null), tokens, clock));
    await expect(logIn.execute({ username: seedUser.username, password: `${seedUser.password}x` })).rejects.toBeInstanceOf(InvalidCredentials);
    expect((await storedHash(seedUser.username)).hash).toMatch(/^\$2b\$12\$/);
  });
});
