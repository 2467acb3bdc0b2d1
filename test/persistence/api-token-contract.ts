import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { userScope } from "../../src/application/ports/transactor.js";
import type { Store } from "../../src/application/ports/store.js";
import type { User } from "../../src/domain/user.js";
import { at, uniqueName } from "../support/names.js";

const aHash = () => createHash("sha256").update(randomBytes(32)).digest("hex");

/** The API token repository's part of the store contract (see store-contract.ts). */
export function describeApiTokenContract(store: () => Store, newUser: () => Promise<User>): void {
  describe("API tokens", () => {
    const add = (user: User, overrides: { hash?: string; expiresAt?: Date | null; scope?: "read" | "write" } = {}) =>
      store().apiTokens.add({
        tokenHash: overrides.hash ?? aHash(),
        userId: user.id,
        name: uniqueName("token"),
        scope: overrides.scope ?? "write",
        createdAt: at("2026-02-10 09:00:00.750"),
        expiresAt: overrides.expiresAt === undefined ? at("2026-05-11 09:00") : overrides.expiresAt,
      });

    it("adds a token (whole seconds) and finds it with its user by hash until it expires", async () => {
      const user = await newUser();
      const hash = aHash();
      const token = await add(user, { hash, scope: "read" });
      expect(token).toEqual({
        id: expect.any(Number),
        userId: user.id,
        name: expect.stringMatching(/^token_/),
        scope: "read",
        createdAt: at("2026-02-10 09:00"),
        expiresAt: at("2026-05-11 09:00"),
        lastUsedAt: null,
      });
      const found = await store().apiTokens.findLive(hash, at("2026-05-11 08:59:59"));
      expect(found?.token).toEqual(token);
      expect(found?.user).toEqual(user);
      expect(await store().apiTokens.findLive(hash, at("2026-05-11 09:00"))).toBeNull();
      expect(await store().apiTokens.findLive(hash.toUpperCase(), at("2026-02-10 10:00"))).toBeNull();
      expect(await store().apiTokens.findLive(aHash(), at("2026-02-10 10:00"))).toBeNull();
    });

    it("keeps a token without expiry for ever", async () => {
      const user = await newUser();
      const hash = aHash();
      const token = await add(user, { hash, expiresAt: null });
      expect(token.expiresAt).toBeNull();
      expect((await store().apiTokens.findLive(hash, at("9999-12-31 23:59")))?.token.id).toBe(token.id);
    });

    it("refuses a second token with the same hash", async () => {
      const user = await newUser();
      const hash = aHash();
      await add(user, { hash });
      await expect(add(user, { hash })).rejects.toThrow();
    });

    it("lists a user's own tokens, newest first, and removes only the user's own", async () => {
      const [ann, bob] = [await newUser(), await newUser()];
      const first = await add(ann);
      const second = await add(ann, { expiresAt: at("2000-01-01 00:00") });
      const bobs = await add(bob);
      expect(await store().apiTokens.listByUser(ann.id)).toEqual([second, first]);
      expect(await store().apiTokens.remove(bob.id, first.id)).toBe(false);
      expect(await store().apiTokens.remove(ann.id, first.id)).toBe(true);
      expect(await store().apiTokens.remove(ann.id, first.id)).toBe(false);
      expect(await store().apiTokens.listByUser(ann.id)).toEqual([second]);
      expect(await store().apiTokens.listByUser(bob.id)).toEqual([bobs]);
    });

    it("records the minute of use, never moving it back", async () => {
      const user = await newUser();
      const hash = aHash();
      const token = await add(user, { hash });
      await store().apiTokens.recordUse(token.id, at("2026-02-10 09:05"));
      expect((await store().apiTokens.findLive(hash, at("2026-02-10 09:06")))?.token.lastUsedAt).toEqual(at("2026-02-10 09:05"));
      await store().apiTokens.recordUse(token.id, at("2026-02-10 09:04"));
      expect((await store().apiTokens.listByUser(user.id))[0]?.lastUsedAt).toEqual(at("2026-02-10 09:05"));
      await Promise.all([store().apiTokens.recordUse(token.id, at("2026-02-10 09:07")), store().apiTokens.recordUse(token.id, at("2026-02-10 09:06"))]);
      expect((await store().apiTokens.listByUser(user.id))[0]?.lastUsedAt).toEqual(at("2026-02-10 09:07"));
    });

    it("keeps names byte-exact and is reachable inside a unit of work", async () => {
      const user = await newUser();
      const name = `o'brien"); DROP TABLE api_tokens;-- Zoë 😀 ${uniqueName("")}`;
      const made = await store().transactor.run(userScope(user.id), (repos) =>
        repos.apiTokens.add({ tokenHash: aHash(), userId: user.id, name, scope: "read", createdAt: at("2026-02-10 09:00"), expiresAt: null }),
      );
      expect((await store().apiTokens.listByUser(user.id)).map((token) => [token.id, token.name])).toEqual([[made.id, name]]);
    });
  });
}
