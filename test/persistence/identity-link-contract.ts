import { describe, expect, it } from "vitest";
import { instanceScope } from "../../src/application/ports/transactor.js";
import type { Store } from "../../src/application/ports/store.js";
import { ReferencedRowMissing } from "../../src/application/ports/store.js";
import type { User } from "../../src/domain/user.js";
import { at, uniqueName } from "../support/names.js";

/**
 * The store contract's part for single sign-on links, (issuer, sub) → user: run inside
 * describeStoreContract on every store.
 */
export function describeIdentityLinkContract(store: () => Store, newUser: () => Promise<User>): void {
  describe("identity links (single sign-on)", () => {
    const issuer = "https://id.example.com/realms/acme";

    it("links (issuer, sub) to a user and finds it exactly: case, issuer and all", async () => {
      const user = await newUser();
      const sub = uniqueName("Sub-ÄÖ");
      expect(await store().identityLinks.add({ issuer, subject: sub, userId: user.id, createdAt: at("2026-02-10 09:00") })).toBe(true);
      expect(await store().identityLinks.findUser(issuer, sub)).toBe(user.id);
      expect(await store().identityLinks.findUser(issuer, sub.toLowerCase())).toBeNull();
      expect(await store().identityLinks.findUser(issuer, sub.toUpperCase())).toBeNull();
      expect(await store().identityLinks.findUser(`${issuer}/`, sub)).toBeNull();
      expect(await store().identityLinks.findUser("https://accounts.google.com", sub)).toBeNull();
      expect(await store().identityLinks.listForUser(user.id)).toEqual([
        { issuer, subject: sub, userId: user.id, createdAt: at("2026-02-10 09:00") },
      ]);
    });

    it("keeps one link per (issuer, sub): a second add is false and changes nothing; a user may have several", async () => {
      const [first, second] = [await newUser(), await newUser()];
      const sub = uniqueName("sub");
      await store().identityLinks.add({ issuer, subject: sub, userId: first.id, createdAt: at("2026-02-10 09:00") });
      expect(await store().identityLinks.add({ issuer, subject: sub, userId: second.id, createdAt: at("2026-02-10 10:00") })).toBe(false);
      expect(await store().identityLinks.findUser(issuer, sub)).toBe(first.id);
      expect(await store().identityLinks.add({ issuer: "https://accounts.google.com", subject: sub, userId: first.id, createdAt: at("2026-02-10 11:00") })).toBe(true);
      expect((await store().identityLinks.listForUser(first.id)).map((link) => link.issuer)).toEqual([issuer, "https://accounts.google.com"]);
      expect(await store().identityLinks.listForUser(second.id)).toEqual([]);
    });

    it("of concurrent links of one (issuer, sub), exactly one wins, also inside units of work", async () => {
      const users = await Promise.all(Array.from({ length: 4 }, () => newUser()));
      const sub = uniqueName("race");
      const results = await Promise.all(
        users.map((user) =>
          store().transactor.run(instanceScope(), (repos) =>
            repos.identityLinks.add({ issuer, subject: sub, userId: user.id, createdAt: at("2026-02-10 09:00") }),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(users.map((user) => user.id)).toContain(await store().identityLinks.findUser(issuer, sub));
    });

    it("refuses a link to a user that does not exist, and keeps sub and issuer of the spec's full length", async () => {
      await expect(
        store().identityLinks.add({ issuer, subject: uniqueName("sub"), userId: 2_000_000_000, createdAt: at("2026-02-10 09:00") }),
      ).rejects.toBeInstanceOf(ReferencedRowMissing);
      const user = await newUser();
      const long = { issuer: `https://${"i".repeat(239)}.example`, subject: `${uniqueName("s")}${"x".repeat(255)}`.slice(0, 255) };
      await store().identityLinks.add({ ...long, userId: user.id, createdAt: at("2026-02-10 09:00") });
      expect(await store().identityLinks.findUser(long.issuer, long.subject)).toBe(user.id);
    });
  });
}
