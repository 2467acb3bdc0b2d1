import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "../../src/application/ports/store.js";
import { openTestStore } from "../support/stores.js";
import { RandomTokenGenerator } from "../../src/adapters/security/random-token-generator.js";
import { CountedLoginThrottle } from "../../src/application/attempt-limits.js";
import { Authenticate } from "../../src/application/authenticate.js";
import { CreateCategory } from "../../src/application/create-category.js";
import { GetMe } from "../../src/application/get-me.js";
import { ListUsers } from "../../src/application/list-users.js";
import { LogIn } from "../../src/application/log-in.js";
import { SecondFactor } from "../../src/application/accounts.js";
import { OtpauthTotpAuthenticator } from "../../src/adapters/identity/otpauth-totp.js";
import { LogOut } from "../../src/application/log-out.js";
import { RegisterUser } from "../../src/application/register-user.js";
import { CategoryNameTaken } from "../../src/application/ports/category-repository.js";
import { InvalidCredentials, RateLimited, TotpRequired, Unauthenticated, UsernameTaken, ValidationFailed } from "../../src/domain/errors.js";
import { Secret, TOTP } from "otpauth";
import { FixedClock, PlainTextHasher, plainHash } from "../support/fakes.js";
import { at } from "../support/names.js";

describe("accounts", () => {
  let store: Store;
  let clock: FixedClock;
  let hasher: PlainTextHasher;
  let tokens: RandomTokenGenerator;
  let register: RegisterUser;
  let logIn: LogIn;
  let authenticate: Authenticate;
  const secondFactor = () => new SecondFactor(store.twoFactor, new OtpauthTotpAuthenticator(null), tokens, clock);

  beforeEach(async () => {
    store = await openTestStore();
    clock = new FixedClock(at("2026-02-10 09:00"));
    hasher = new PlainTextHasher();
    tokens = new RandomTokenGenerator();
    register = new RegisterUser(store.transactor, hasher, tokens, clock, "open");
    logIn = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, new CountedLoginThrottle(store.attempts, 0), secondFactor());
    authenticate = new Authenticate(store.sessions, tokens, clock);
  });

  it("registers a user with a hashed password and the clock's time", async () => {
    const user = await register.execute({ username: " ann ", password: "secret-password" });
    expect(user).toMatchObject({ username: "ann", passwordHash: plainHash("secret-password"), createdAt: at("2026-02-10 09:00") });
  });

  it("refuses a taken name in any case, and bad names or passwords, storing nothing", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    await expect(register.execute({ username: "ANN", password: "secret-password" })).rejects.toBeInstanceOf(UsernameTaken);
    await expect(register.execute({ username: "a!", password: "secret-password" })).rejects.toBeInstanceOf(ValidationFailed);
    await expect(register.execute({ username: "bob", password: "short" })).rejects.toBeInstanceOf(ValidationFailed);
    expect(await store.users.list({ afterId: null, limit: 10 })).toHaveLength(1);
  });

  it("logs in case-insensitively and issues a token that authenticates until it expires", async () => {
    const user = await register.execute({ username: "ann", password: "secret-password" });
    const session = await logIn.execute({ username: "Ann", password: "secret-password" });
    expect(session.user.id).toBe(user.id);
    expect(session.expiresAt).toEqual(at("2026-02-10 10:00"));
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await authenticate.execute({ token: session.token })).id).toBe(user.id);
    clock.set(at("2026-02-10 10:00"));
    await expect(authenticate.execute({ token: session.token })).rejects.toBeInstanceOf(Unauthenticated);
  });

  it("answers an unknown user and a wrong password alike, checking a password either way", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    const verify = vi.spyOn(hasher, "verify");
    await expect(logIn.execute({ username: "ann", password: "wrong-password" })).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(logIn.execute({ username: "nobody", password: "wrong-password" })).rejects.toBeInstanceOf(InvalidCredentials);
    // Both failures paid for one verification: an unknown name is not cheaper to probe.
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.calls[1]?.[0]).toMatch(/^plain:/);
  });

  it("answers an unknown user with INVALID_CREDENTIALS again after the dummy hash once failed to compute", async () => {
    const failOnce = vi.spyOn(hasher, "hash").mockRejectedValueOnce(new Error("the hashing pool is exhausted"));
    await expect(logIn.execute({ username: "nobody", password: "wrong-password" })).rejects.toThrow("pool is exhausted");
    failOnce.mockRestore();
    for (let i = 0; i < 2; i++) {
      await expect(logIn.execute({ username: "nobody", password: "wrong-password" })).rejects.toBeInstanceOf(InvalidCredentials);
    }
  });

  it("replaces a hash that needs a rehash at login", async () => {
    const legacy = await store.users.add({ username: "old", passwordHash: "legacy-hash", createdAt: at("2020-01-01 00:00") });
    vi.spyOn(hasher, "verify").mockResolvedValueOnce(true);
    await logIn.execute({ username: "old", password: "old-password" });
    expect((await store.users.findById(legacy.id))?.passwordHash).toBe(plainHash("old-password"));
  });

  it("refuses every attempt for a username after too many failures, until the window ends", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    const throttled = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, new CountedLoginThrottle(store.attempts, 3, 900), secondFactor());
    for (let i = 0; i < 3; i++) {
      await expect(throttled.execute({ username: "ann", password: "wrong" })).rejects.toBeInstanceOf(InvalidCredentials);
    }
    const refused = throttled.execute({ username: "ANN", password: "secret-password" });
    await expect(refused).rejects.toBeInstanceOf(RateLimited);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 900 });
    // Other names are not affected; unknown names are counted the same way.
    await register.execute({ username: "bob", password: "secret-password" });
    await expect(throttled.execute({ username: "bob", password: "secret-password" })).resolves.toBeDefined();
    clock.advanceSeconds(900);
    await expect(throttled.execute({ username: "ann", password: "secret-password" })).resolves.toBeDefined();
  });

  it("counts wrong two-factor codes towards the throttle, and a missing one not", async () => {
    const ann = await register.execute({ username: "ann", password: "secret-password" });
    const secret = new Secret({ size: 20 }).base32;
    await store.twoFactor.savePending(ann.id, `plain:${secret}`, clock.now());
    expect(await store.twoFactor.enable(ann.id, 0, [], clock.now())).toBe(true);
    const throttled = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, new CountedLoginThrottle(store.attempts, 2, 900), secondFactor());
    const current = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
    const attempt = (totpCode?: string) => throttled.execute({ username: "ann", password: "secret-password", totpCode });
    for (let i = 0; i < 3; i++) await expect(attempt()).rejects.toBeInstanceOf(TotpRequired);
    await expect(attempt(current === "000000" ? "111111" : "000000")).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(attempt("no-such-recovery-code")).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(attempt(current)).rejects.toBeInstanceOf(RateLimited);
    clock.advanceSeconds(900);
    await expect(attempt(new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() }))).resolves.toBeDefined();
  });

  it("forgets failures after a successful login", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    const throttled = new LogIn(store.users, store.sessions, hasher, tokens, clock, 3600, new CountedLoginThrottle(store.attempts, 2, 900), secondFactor());
    await expect(throttled.execute({ username: "ann", password: "wrong" })).rejects.toBeInstanceOf(InvalidCredentials);
    await throttled.execute({ username: "ann", password: "secret-password" });
    await expect(throttled.execute({ username: "ann", password: "wrong" })).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(throttled.execute({ username: "ann", password: "secret-password" })).resolves.toBeDefined();
  });

  it("revokes a token at logout", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    const { token } = await logIn.execute({ username: "ann", password: "secret-password" });
    await new LogOut(store.sessions, tokens).execute({ token });
    await expect(authenticate.execute({ token })).rejects.toBeInstanceOf(Unauthenticated);
  });

  it("keeps only the token's hash", async () => {
    await register.execute({ username: "ann", password: "secret-password" });
    const { token } = await logIn.execute({ username: "ann", password: "secret-password" });
    expect(await store.sessions.findUser(token, clock.now())).toBeNull();
    expect(await store.sessions.findUser(tokens.hashOf(token), clock.now())).not.toBeNull();
  });

  it("gets the caller and lists users a page at a time", async () => {
    const ann = await register.execute({ username: "ann", password: "secret-password" });
    const bob = await register.execute({ username: "bob", password: "secret-password" });
    const cid = await register.execute({ username: "cid", password: "secret-password" });
    expect((await new GetMe(store.users).execute({ userId: ann.id })).username).toBe("ann");
    const list = new ListUsers(store.users);
    const first = await list.execute({ afterId: null, limit: 2 });
    expect(first.users.map((u) => u.id)).toEqual([ann.id, bob.id]);
    expect(first.nextAfterId).toBe(bob.id);
    const second = await list.execute({ afterId: first.nextAfterId, limit: 2 });
    expect(second.users.map((u) => u.id)).toEqual([cid.id]);
    expect(second.nextAfterId).toBeNull();
  });
});

describe("categories", () => {
  it("creates a category once; the same name in another case returns the existing one", async () => {
    const store = await openTestStore();
    const create = new CreateCategory(store.categories);
    const first = await create.execute({ name: "  Work " });
    expect(first).toEqual({ category: { id: expect.any(Number), name: "Work" }, created: true });
    expect(await create.execute({ name: "WORK" })).toEqual({ category: first.category, created: false });
  });

  it("answers a lost race with the winner", async () => {
    const store = await openTestStore();
    const winner = await store.categories.add("Work");
    const findByName = vi.spyOn(store.categories, "findByName").mockResolvedValueOnce(null);
    vi.spyOn(store.categories, "add").mockRejectedValueOnce(new CategoryNameTaken("Work"));
    expect(await new CreateCategory(store.categories).execute({ name: "work" })).toEqual({ category: winner, created: false });
    expect(findByName).toHaveBeenCalledTimes(2);
  });
});
