import { userScope } from "../../src/application/ports/transactor.js";
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { UsernameTaken } from "../../src/domain/errors.js";
import type { Category } from "../../src/domain/category.js";
import type { User } from "../../src/domain/user.js";
import { CategoryNameTaken } from "../../src/application/ports/category-repository.js";
import { ReferencedRowMissing, type Store } from "../../src/application/ports/store.js";
import { at, uniqueName } from "../support/names.js";
import { NO_BOOKING, UNBOOKED } from "../support/fakes.js";
import { describeIdentityLinkContract } from "./identity-link-contract.js";
import { describeApiTokenContract } from "./api-token-contract.js";
import type { ReportRow, ReportSumsQuery } from "../../src/application/ports/time-entry-repository.js";
import {
  bucketEdges,
  groupBoundaries,
  summarize,
  summaryOfBucketSums,
  summaryOfNamedSums,
  type SummaryGrouping,
} from "../../src/domain/summary.js";

/**
 * ONE repository contract, run against every store. A store that passes it can replace another.
 * `open` gives a migrated store on a database of its own; `close` releases it.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  close: (store: Store) => Promise<void>,
): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      if (store) await close(store);
    });

    const newUser = (username = uniqueName("user")): Promise<User> =>
      store.users.add({ username, passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", createdAt: at("2026-01-01 00:00") });
    const newCategory = (name = uniqueName("cat")): Promise<Category> => store.categories.add(name);

    describe("store", () => {
      it("answers a ping and migrates again without harm", async () => {
        expect(await store.ping()).toBe(true);
        await store.migrate();
        expect(await store.ping()).toBe(true);
        expect(store.description).toBeTypeOf("string");
      });
    });

    describe("users", () => {
      it("adds a user and finds it by id and by name, case-insensitively", async () => {
        const username = uniqueName("Ann");
        const user = await newUser(username);
        expect(user).toMatchObject({ username, passwordHash: expect.any(String) });
        expect(user.id).toBeGreaterThan(0);
        expect(user.createdAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
        expect(await store.users.findById(user.id)).toEqual(user);
        expect(await store.users.findByUsername(username.toUpperCase())).toEqual(user);
        expect(await store.users.findByUsername(username.toLowerCase())).toEqual(user);
        expect(await store.users.findByUsername(`${username}x`)).toBeNull();
        expect(await store.users.findById(2_000_000_000)).toBeNull();
      });

      it("compares non-ASCII names case- and accent-insensitively", async () => {
        const base = uniqueName("");
        const user = await newUser(`Ünal-Émile${base}`);
        expect((await store.users.findByUsername(`ünal-émile${base}`))?.id).toBe(user.id);
        expect((await store.users.findByUsername(`UNAL-EMILE${base}`))?.id).toBe(user.id);
        await expect(newUser(`unal-emile${base}`)).rejects.toBeInstanceOf(UsernameTaken);
      });

      it("refuses a name taken in another case with UsernameTaken", async () => {
        const username = uniqueName("bob");
        await newUser(username);
        await expect(newUser(username.toUpperCase())).rejects.toBeInstanceOf(UsernameTaken);
      });

      it("of concurrent additions of one name, exactly one wins", async () => {
        const username = uniqueName("race");
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => newUser(username)));
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(UsernameTaken);
        }
      });

      it("keeps SQL metacharacters, quotes and Unicode in usernames byte-exact", async () => {
        const suffix = uniqueName("");
        const names = [
          `o'brien"); DROP TABLE users;-- ${suffix}`,
          `back\\slash %_ wildcards ${suffix}`,
          `Zoë 😀 e\u0301 combining ${suffix}`,
        ];
        for (const username of names) {
          const user = await newUser(username);
          expect((await store.users.findById(user.id))?.username).toBe(username);
          expect((await store.users.findByUsername(username))?.id).toBe(user.id);
        }
        expect(await store.users.findByUsername(`%${suffix}`)).toBeNull();
      });

      it("replaces a password hash", async () => {
        const user = await newUser();
        const hash = `$argon2id$v=19$m=19456,t=2,p=1$${"A".repeat(22)}$${"B".repeat(43)}`;
        await store.users.updatePasswordHash(user.id, hash);
        expect((await store.users.findById(user.id))?.passwordHash).toBe(hash);
      });

      it("lists users by id, a page at a time", async () => {
        const a = await newUser();
        const b = await newUser();
        const c = await newUser();
        const page = await store.users.list({ afterId: a.id, limit: 2 });
        expect(page.map((u) => u.id)).toEqual([b.id, c.id]);
        const all = await store.users.list({ afterId: null, limit: 100_000 });
        const ids = all.map((u) => u.id);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        expect(ids).toContain(a.id);
      });
    });

    describe("roles, activity and rates", () => {
      it("stores a new user as an active member with no rate, unless a role is given", async () => {
        const member = await newUser();
        expect(member).toMatchObject({ role: "member", active: true, hourlyRateCents: null });
        const owner = await store.users.add({ username: uniqueName("own"), passwordHash: "h", createdAt: at("2026-01-01 00:00"), role: "owner" });
        expect(await store.users.findById(owner.id)).toMatchObject({ role: "owner", active: true, hourlyRateCents: null });
        expect(await store.users.isEmpty()).toBe(false);
      });

      it("changes only the fields named, a rate of 0 and null included, and says null for an unknown user", async () => {
        const user = await newUser();
        expect(await store.users.update(user.id, { role: "admin" })).toEqual({ ...user, role: "admin" });
        expect(await store.users.update(user.id, { hourlyRateCents: 0 })).toEqual({ ...user, role: "admin", hourlyRateCents: 0 });
        expect(await store.users.update(user.id, { active: false })).toEqual({ ...user, role: "admin", hourlyRateCents: 0, active: false });
        expect(await store.users.update(user.id, { hourlyRateCents: null, active: true })).toEqual({ ...user, role: "admin" });
        expect(await store.users.findByUsername(user.username)).toEqual({ ...user, role: "admin" });
        expect(await store.users.update(2_000_000_000, { active: false })).toBeNull();
      });

      it("counts the active owners", async () => {
        const before = await store.users.countActiveOwners();
        const owner = await store.users.add({ username: uniqueName("own"), passwordHash: "h", createdAt: at("2026-01-01 00:00"), role: "owner" });
        expect(await store.users.countActiveOwners()).toBe(before + 1);
        await store.users.update(owner.id, { active: false });
        expect(await store.users.countActiveOwners()).toBe(before);
      });

      it("reads a session's user with its role and activity", async () => {
        const user = await newUser();
        await store.users.update(user.id, { role: "admin", active: false, hourlyRateCents: 900 });
        const tokenHash = uniqueName("h").padEnd(64, "0").slice(0, 64);
        await store.sessions.add({ tokenHash, userId: user.id, createdAt: at("2026-01-01 00:00"), expiresAt: at("2099-01-01 00:00") });
        expect(await store.sessions.findUser(tokenHash, at("2026-01-02 00:00"))).toEqual({
          ...user,
          role: "admin",
          active: false,
          hourlyRateCents: 900,
        });
      });
    });

    describe("invitations", () => {
      const codeHash = () => uniqueName("c").padEnd(64, "0").slice(0, 64);

      it("finds an unused invitation by its code hash until it expires, and uses it once", async () => {
        const admin = await newUser();
        const hash = codeHash();
        const made = await store.invitations.add({
          codeHash: hash,
          role: "admin",
          createdBy: admin.id,
          createdAt: at("2026-02-10 09:00"),
          expiresAt: at("2026-02-11 09:00"),
        });
        expect(made).toEqual({ id: expect.any(Number), role: "admin", createdBy: admin.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2026-02-11 09:00") });
        expect(await store.invitations.findUsable(hash, at("2026-02-11 08:59"))).toEqual(made);
        expect(await store.invitations.findUsable(hash, at("2026-02-11 09:00"))).toBeNull();
        expect(await store.invitations.findUsable(hash.toUpperCase(), at("2026-02-10 10:00"))).toBeNull();
        expect((await store.invitations.listUsable(at("2026-02-10 10:00"))).map((i) => i.id)).toContain(made.id);

        const user = await newUser();
        expect(await store.invitations.markUsed(made.id, user.id, at("2026-02-10 10:00"))).toBe(true);
        expect(await store.invitations.markUsed(made.id, user.id, at("2026-02-10 10:00"))).toBe(false);
        expect(await store.invitations.findUsable(hash, at("2026-02-10 10:00"))).toBeNull();
        expect((await store.invitations.listUsable(at("2026-02-10 10:00"))).map((i) => i.id)).not.toContain(made.id);
        expect(await store.invitations.remove(made.id)).toBe(false);
      });

      it("lists newest first and removes an unused one", async () => {
        const admin = await newUser();
        const invitation = (n: number) =>
          store.invitations.add({ codeHash: codeHash(), role: "member", createdBy: admin.id, createdAt: at("2026-02-10 09:00"), expiresAt: at(`2026-02-1${n} 09:00`) });
        const older = await invitation(2);
        const newer = await invitation(3);
        const ids = (await store.invitations.listUsable(at("2026-02-10 10:00"))).map((i) => i.id);
        expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
        expect(await store.invitations.remove(older.id)).toBe(true);
        expect(await store.invitations.remove(older.id)).toBe(false);
      });
    });

    describe("teams", () => {
      it("adds teams with unique names by key, lists them sorted, and keeps members with their lead flag", async () => {
        const base = uniqueName("team");
        const team = await store.teams.add(`B ${base}`);
        expect(team).toEqual({ id: expect.any(Number), name: `B ${base}`, members: [] });
        await expect(store.teams.add(`b ${base.toUpperCase()}`)).rejects.toMatchObject({ code: "TEAM_NAME_TAKEN" });
        const first = await store.teams.add(`a ${base}`);
        const [ann, bob] = [await newUser(uniqueName("zann")), await newUser(uniqueName("abob"))];
        await store.teams.setMember(team.id, ann.id, true);
        await store.teams.setMember(team.id, bob.id, false);
        await store.teams.setMember(team.id, bob.id, false);
        expect((await store.teams.findById(team.id))?.members).toEqual([
          { userId: bob.id, username: bob.username, lead: false },
          { userId: ann.id, username: ann.username, lead: true },
        ]);
        const names = (await store.teams.list()).map((t) => t.name);
        expect(names.indexOf(`a ${base}`)).toBeLessThan(names.indexOf(`B ${base}`));
        expect((await store.teams.listOf(bob.id)).map((t) => t.id)).toEqual([team.id]);
        expect(await store.teams.leads(ann.id, bob.id)).toBe(true);
        expect(await store.teams.leads(bob.id, ann.id)).toBe(false);

        await store.teams.setMember(team.id, ann.id, false);
        expect(await store.teams.leads(ann.id, bob.id)).toBe(false);
        expect(await store.teams.rename(first.id, `B ${base}`).catch((e: { code: string }) => e.code)).toBe("TEAM_NAME_TAKEN");
        expect((await store.teams.rename(first.id, `c ${base}`))?.name).toBe(`c ${base}`);
        expect(await store.teams.rename(2_000_000_000, "x")).toBeNull();
        expect(await store.teams.removeMember(team.id, bob.id)).toBe(true);
        expect(await store.teams.removeMember(team.id, bob.id)).toBe(false);
        expect(await store.teams.remove(team.id)).toBe(true);
        expect(await store.teams.findById(team.id)).toBeNull();
        expect(await store.teams.listOf(ann.id)).toEqual([]);
        expect(await store.teams.remove(team.id)).toBe(false);
      });
    });

    /** Of additions made at once, one succeeded; each other one failed with the domain's `code`. */
    const expectOneAdded = (results: readonly PromiseSettledResult<unknown>[], code: string) => {
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code });
    };

    describe("clients", () => {
      it("adds clients with unique names by key, finds, renames and archives them", async () => {
        const tag = uniqueName("");
        const client = await store.clients.add(`Café ${tag}`);
        expect(client).toEqual({ id: expect.any(Number), name: `Café ${tag}`, archived: false });
        expect(await store.clients.findById(client.id)).toEqual(client);
        expect(await store.clients.findById(2_000_000_000)).toBeNull();
        await expect(store.clients.add(`CAFE ${tag}`)).rejects.toMatchObject({ code: "CLIENT_NAME_TAKEN" });

        const other = await store.clients.add(`Tea ${tag}`);
        await expect(store.clients.update(other.id, { name: `café ${tag}` })).rejects.toMatchObject({ code: "CLIENT_NAME_TAKEN" });
        expect(await store.clients.update(other.id, { name: `TEA ${tag}` })).toEqual({ ...other, name: `TEA ${tag}` });
        expect(await store.clients.update(other.id, { archived: true })).toEqual({ ...other, name: `TEA ${tag}`, archived: true });
        expect(await store.clients.update(other.id, {})).toEqual({ ...other, name: `TEA ${tag}`, archived: true });
        expect(await store.clients.update(2_000_000_000, { archived: true })).toBeNull();
      });

      it("lists clients sorted by name, the archived ones only when asked", async () => {
        const tag = uniqueName("");
        const banana = await store.clients.add(`banana ${tag}`);
        const apple = await store.clients.add(`Äpple ${tag}`);
        const cherry = await store.clients.add(`Cherry ${tag}`);
        const archived = await store.clients.update(banana.id, { archived: true });
        const mine = async (includeArchived: boolean) =>
          (await store.clients.list({ includeArchived })).filter((client) => client.name.endsWith(tag));
        expect(await mine(false)).toEqual([apple, cherry]);
        expect(await mine(true)).toEqual([apple, archived, cherry]);
      });

      it("of concurrent additions of one name, exactly one wins (race)", async () => {
        const name = uniqueName("Race");
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.clients.add(i % 2 ? name : name.toUpperCase())));
        expectOneAdded(results, "CLIENT_NAME_TAKEN");
      });
    });

    describe("projects", () => {
      const newProject = (name: string, clientId: number | null = null) =>
        store.projects.add({ name, clientId, color: null, billable: true, hourlyRateCents: null });

      it("adds a project with its client's name, and finds it", async () => {
        const client = await store.clients.add(uniqueName("Acme"));
        const name = uniqueName("Web");
        const project = await store.projects.add({ name, clientId: client.id, color: "#a1b2c3", billable: false, hourlyRateCents: 0 });
        expect(project).toEqual({
          id: expect.any(Number),
          name,
          clientId: client.id,
          clientName: client.name,
          color: "#a1b2c3",
          billable: false,
          hourlyRateCents: 0,
          archived: false,
        });
        expect(await store.projects.findById(project.id)).toEqual(project);
        expect(await store.projects.findById(2_000_000_000)).toBeNull();
        const lone = await newProject(uniqueName("Lone"));
        expect(lone).toMatchObject({ clientId: null, clientName: null, color: null, billable: true, hourlyRateCents: null, archived: false });
      });

      it("keeps one name per client and one among projects without a client, by key", async () => {
        const name = `Café ${uniqueName("")}`;
        const [a, b] = [await store.clients.add(uniqueName("a")), await store.clients.add(uniqueName("b"))];
        await newProject(name, a.id);
        await newProject(name, b.id);
        await newProject(name);
        for (const clientId of [a.id, b.id, null]) {
          await expect(newProject(name.toLowerCase().replace("é", "e"), clientId)).rejects.toMatchObject({ code: "PROJECT_NAME_TAKEN" });
        }
        const other = await newProject(`${name} 2`, a.id);
        await expect(store.projects.update(other.id, { name: name.toUpperCase() })).rejects.toMatchObject({ code: "PROJECT_NAME_TAKEN" });
        // Moving a project to where its name is taken is refused as well.
        const lone = await newProject(`${name} 2`);
        await expect(store.projects.update(lone.id, { clientId: a.id })).rejects.toMatchObject({
          code: "PROJECT_NAME_TAKEN",
          message: expect.stringContaining(`${name} 2`),
        });
        expect((await store.projects.update(lone.id, { clientId: b.id }))?.clientId).toBe(b.id);
      });

      it("tells apart names whose keys are longer than the index holds", async () => {
        // "ﷺ" decomposes into 18 characters (33 bytes of key): 93 of them make a key just too long
        // for a project's key column, 100 of them one longer than any key column.
        const [a, b] = ["\uFDFA".repeat(93), `${"\uFDFA".repeat(99)}x`];
        const first = await newProject(a);
        const second = await newProject(b);
        await expect(newProject(a)).rejects.toMatchObject({ code: "PROJECT_NAME_TAKEN" });
        expect(await store.projects.findById(first.id)).toMatchObject({ name: a });
        const names = (await store.projects.list({ clientId: null, includeArchived: true })).map((project) => project.id);
        expect(names.indexOf(first.id)).toBeLessThan(names.indexOf(second.id));
      });

      it("changes only what is given; null clears the client, the colour and the rate", async () => {
        const client = await store.clients.add(uniqueName("Acme"));
        const project = await store.projects.add({ name: uniqueName("p"), clientId: client.id, color: "#000000", billable: true, hourlyRateCents: 5_000 });
        const renamed = await store.projects.update(project.id, { name: `${project.name} 2` });
        expect(renamed).toEqual({ ...project, name: `${project.name} 2` });
        const changed = await store.projects.update(project.id, { color: "#ffffff", billable: false, hourlyRateCents: 7_500 });
        expect(changed).toEqual({ ...renamed, color: "#ffffff", billable: false, hourlyRateCents: 7_500 });
        const cleared = await store.projects.update(project.id, { clientId: null, color: null, hourlyRateCents: null });
        expect(cleared).toEqual({ ...changed, clientId: null, clientName: null, color: null, hourlyRateCents: null });
        expect(await store.projects.update(project.id, {})).toEqual(cleared);
        expect(await store.projects.update(2_000_000_000, { archived: true })).toBeNull();
      });

      it("counts a project as archived when it or its client is, and lists it only when asked", async () => {
        const client = await store.clients.add(uniqueName("Acme"));
        const active = await newProject(uniqueName("active"), client.id);
        const own = await newProject(uniqueName("own"), client.id);
        expect(await store.projects.update(own.id, { archived: true })).toEqual({ ...own, archived: true });
        const listed = async (includeArchived: boolean) =>
          (await store.projects.list({ clientId: client.id, includeArchived })).map((project) => [project.id, project.archived]);
        expect(await listed(false)).toEqual([[active.id, false]]);
        await store.clients.update(client.id, { archived: true });
        expect(await store.projects.findById(active.id)).toEqual({ ...active, archived: true });
        expect(await listed(false)).toEqual([]);
        expect(await listed(true)).toEqual([[active.id, true], [own.id, true]]);
        const everyone = await store.projects.list({ clientId: null, includeArchived: false });
        expect(everyone.map((project) => project.id)).not.toContain(active.id);
        await store.clients.update(client.id, { archived: false });
        expect(await listed(false)).toEqual([[active.id, false]]);
      });

      it("lists by name, one name under several clients by the clients' names, and filters by client", async () => {
        const tag = uniqueName("");
        const [zed, abc] = [await store.clients.add(`Zed ${tag}`), await store.clients.add(`abc ${tag}`)];
        const web = await newProject(`web ${tag}`, zed.id);
        const webAbc = await newProject(`Web ${tag}`, abc.id);
        const api = await newProject(`API ${tag}`, zed.id);
        const lone = await newProject(`web ${tag}`);
        const mine = (await store.projects.list({ clientId: null, includeArchived: false })).filter((p) => p.name.endsWith(tag));
        // "Web" and "web" have one key; the text orders them, then the client ("" for none first).
        expect(mine.map((p) => p.id)).toEqual([api.id, webAbc.id, lone.id, web.id]);
        expect((await store.projects.list({ clientId: zed.id, includeArchived: false })).map((p) => p.id)).toEqual([api.id, web.id]);
        expect(await store.projects.list({ clientId: 2_000_000_000, includeArchived: true })).toEqual([]);
      });

      it("refuses a client that does not exist (the foreign key)", async () => {
        await expect(newProject(uniqueName("p"), 2_000_000_000)).rejects.toBeInstanceOf(ReferencedRowMissing);
        const project = await newProject(uniqueName("p"));
        await expect(store.projects.update(project.id, { clientId: 2_000_000_000 })).rejects.toBeInstanceOf(ReferencedRowMissing);
      });

      it("of concurrent additions of one name under one client, or without one, exactly one wins; under two clients both (race)", async () => {
        const [a, b] = [await store.clients.add(uniqueName("a")), await store.clients.add(uniqueName("b"))];
        for (const clientId of [a.id, null]) {
          const name = uniqueName("Race");
          expectOneAdded(await Promise.allSettled(Array.from({ length: 10 }, () => newProject(name, clientId))), "PROJECT_NAME_TAKEN");
        }
        const name = uniqueName("Both");
        const both = await Promise.all([newProject(name, a.id), newProject(name, b.id)]);
        expect(both.map((project) => project.clientId)).toEqual([a.id, b.id]);
      });

      it("writes clients and projects inside a unit of work, and rolls them back with it", async () => {
        const user = await newUser();
        const name = uniqueName("tx");
        let ids = { client: 0, project: 0 };
        await expect(
          store.transactor.run(userScope(user.id), async (repos) => {
            const client = await repos.clients.add(name);
            const project = await repos.projects.add({ name, clientId: client.id, color: null, billable: true, hourlyRateCents: null });
            expect(await repos.projects.findById(project.id)).toEqual(project);
            ids = { client: client.id, project: project.id };
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await store.clients.findById(ids.client)).toBeNull();
        expect(await store.projects.findById(ids.project)).toBeNull();
        expect((await store.clients.add(name)).name).toBe(name);
      });
    });

    describe("tags", () => {
      it("ensures tags: existing ones found by the name rule in their first spelling, missing ones made once", async () => {
        const tag = uniqueName("");
        const [first] = await store.tags.ensure([`Deep ${tag}`]);
        const tags = await store.tags.ensure([`new ${tag}`, `DEEP ${tag}`, `other ${tag}`]);
        expect(new Map(tags.map((t) => [t.name, t.id]))).toEqual(
          new Map([
            [`new ${tag}`, expect.any(Number)],
            [`Deep ${tag}`, first?.id],
            [`other ${tag}`, expect.any(Number)],
          ]),
        );
        expect(new Set(tags.map((t) => t.id)).size).toBe(3);
        const again = await store.tags.ensure([`OTHER ${tag}`, `New ${tag}`, `deep ${tag}`]);
        expect(new Set(again.map((t) => t.id))).toEqual(new Set(tags.map((t) => t.id)));
        expect((await store.tags.list()).filter((t) => t.name.endsWith(tag)).map((t) => t.name)).toEqual([
          `Deep ${tag}`,
          `new ${tag}`,
          `other ${tag}`,
        ]);
        expect(await store.tags.ensure([])).toEqual([]);
      });

      it("finds the tags among names that exist, by the name rule, and makes none", async () => {
        const tag = uniqueName("");
        const [deep] = await store.tags.ensure([`Deep ${tag}`]);
        expect(await store.tags.findByNames([`none ${tag}`, `DEEP ${tag}`, `deep ${tag}`])).toEqual([null, deep, deep]);
        expect(await store.tags.findByName(`none ${tag}`)).toBeNull();
        expect(await store.tags.findByNames([])).toEqual([]);
        expect(await store.tags.findByNames([`'); DROP TABLE tags; -- ${tag}`])).toEqual([null]);
      });
    });

    describe("categories", () => {
      it("adds a category and finds it by id and name, case-insensitively", async () => {
        const name = uniqueName("Work");
        const category = await newCategory(name);
        expect(category).toEqual({ id: expect.any(Number), name });
        expect(await store.categories.findById(category.id)).toEqual(category);
        expect(await store.categories.findByName(name.toUpperCase())).toEqual(category);
        expect(await store.categories.findByName(`${name}-other`)).toBeNull();
      });

      it("treats non-ASCII names in another case as the same name", async () => {
        const suffix = uniqueName("");
        const category = await newCategory(`Ärger Über Café ${suffix}`);
        expect((await store.categories.findByName(`ärger über CAFÉ ${suffix}`))?.id).toBe(category.id);
        expect((await store.categories.findByName(`ARGER UBER cafe ${suffix}`))?.id).toBe(category.id);
        await expect(newCategory(`ÄRGER über café ${suffix}`)).rejects.toBeInstanceOf(CategoryNameTaken);
      });

      it("tells names apart that differ only in an emoji or other non-BMP character", async () => {
        const suffix = uniqueName("");
        const apple = await newCategory(`🍎 Fruit ${suffix}`);
        const banana = await newCategory(`🍌 Fruit ${suffix}`);
        expect(banana.id).not.toBe(apple.id);
        expect((await store.categories.findByName(`🍎 FRUIT ${suffix}`))?.id).toBe(apple.id);
        expect((await store.categories.findByName(`🍌 fruit ${suffix}`))?.id).toBe(banana.id);
        expect(await store.categories.findByName(`🍇 Fruit ${suffix}`)).toBeNull();
      });

      it("of concurrent additions of one name, exactly one wins", async () => {
        const name = uniqueName("Race");
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => newCategory(name)));
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(CategoryNameTaken);
        }
      });

      it("keeps SQL metacharacters, quotes and Unicode byte-exact", async () => {
        const suffix = uniqueName("");
        const names = [
          `Robert'); DROP TABLE category;-- ${suffix}`,
          `"quoted" \\ back\\slash %_ wildcards ${suffix}`,
          `⏱️ Zeit 🕐 時間 ${suffix}`,
          `e\u0301 combining ${suffix}`,
        ];
        for (const name of names) {
          const category = await newCategory(name);
          expect((await store.categories.findById(category.id))?.name).toBe(name);
          expect((await store.categories.findByName(name))?.name).toBe(name);
        }
      });

      it("lists a category added just before, in every one of many lists read at once", async () => {
        const name = uniqueName("Fresh");
        const category = await newCategory(name);
        const lists = await Promise.all(Array.from({ length: 5 }, () => store.categories.list()));
        for (const list of lists) expect(list).toContainEqual(category);
        // Each caller gets a list of its own.
        expect(lists[0]).not.toBe(lists[1]);
      });

      it("finds a name that did not exist when it was last looked up", async () => {
        const name = uniqueName("Later");
        expect(await store.categories.findByName(name)).toBeNull();
        const category = await newCategory(name);
        expect(await store.categories.findByName(name)).toEqual(category);
        expect(await store.categories.findByName(name.toLowerCase())).toEqual(category);
      });

      it("lists every category sorted by name, case-insensitively", async () => {
        const tag = uniqueName("");
        await newCategory(`banana ${tag}`);
        await newCategory(`Apple ${tag}`);
        await newCategory(`cherry ${tag}`);
        const mine = (await store.categories.list()).map((c) => c.name).filter((n) => n.endsWith(tag));
        expect(mine).toEqual([`Apple ${tag}`, `banana ${tag}`, `cherry ${tag}`]);
      });
    });

    describe("names", () => {
      // One rule on every store, the domain's nameKey: Unicode NFKD, combining marks dropped, case
      // folded. `same` is what it says of each pair; every store must answer the same. Each name
      // starts with a tag of its test, so that the key of "Tilde˜" ends in a space.
      const pairs: ReadonlyArray<{ what: string; a: string; b: string; same: boolean }> = [
        { what: "ø and o", a: "Øl", b: "ol", same: false },
        { what: "æ and ae", a: "Æble", b: "aeble", same: false },
        { what: "a zero-width space inside a name", a: "Zero\u200Bwidth", b: "Zerowidth", same: false },
        { what: "~ and its fullwidth form", a: "~tilde", b: "～TILDE", same: true },
        { what: "~ and no ~", a: "ti~lde", b: "tilde", same: false },
        { what: "fullwidth letters", a: "ＷＯＲＫ", b: "work", same: true },
        { what: "a ligature", a: "ﬁle", b: "FILE", same: true },
        { what: "ß and ss", a: "Straße", b: "STRASSE", same: true },
        { what: "a spacing accent, whose key ends in a space", a: "Tilde˜", b: "Tilde", same: false },
      ];

      for (const { what, a, b, same } of pairs) {
        it(`${what}: ${same ? "one name" : "two names"}, for users and categories alike`, async () => {
          const tag = uniqueName("");
          const [nameA, nameB] = [`${tag} ${a}`, `${tag} ${b}`];
          const category = await newCategory(nameA);
          const user = await newUser(nameA);
          if (same) {
            expect(await store.categories.findByName(nameB)).toEqual(category);
            expect(await store.users.findByUsername(nameB)).toEqual(user);
            await expect(newCategory(nameB)).rejects.toBeInstanceOf(CategoryNameTaken);
            await expect(newUser(nameB)).rejects.toBeInstanceOf(UsernameTaken);
          } else {
            expect(await store.categories.findByName(nameB)).toBeNull();
            expect(await store.users.findByUsername(nameB)).toBeNull();
            const otherCategory = await newCategory(nameB);
            const otherUser = await newUser(nameB);
            expect(otherCategory.id).not.toBe(category.id);
            expect(otherUser.id).not.toBe(user.id);
            expect(await store.categories.findByName(nameA)).toEqual(category);
            expect(await store.categories.findByName(nameB)).toEqual(otherCategory);
            expect(await store.users.findByUsername(nameA)).toEqual(user);
            expect(await store.users.findByUsername(nameB)).toEqual(otherUser);
          }
        });
      }

      it("dotted and dotless i (İ, ı, I, i): one letter, for users and categories alike", async () => {
        const tag = uniqueName("");
        const spellings = ["İ", "ı", "I", "i"].map((letter) => `${tag} ${letter}stanbul`);
        const category = await newCategory(spellings[0]);
        const user = await newUser(spellings[0]);
        for (const spelling of spellings) {
          expect(await store.categories.findByName(spelling), spelling).toEqual(category);
          expect(await store.users.findByUsername(spelling), spelling).toEqual(user);
        }
        for (const spelling of spellings.slice(1)) {
          await expect(newCategory(spelling), spelling).rejects.toBeInstanceOf(CategoryNameTaken);
          await expect(newUser(spelling), spelling).rejects.toBeInstanceOf(UsernameTaken);
        }
      });

      it("keeps names apart whose keys are longer than an index holds, and finds each by its key", async () => {
        // U+FDFA is one character whose key is eighteen (33 bytes of UTF-8): 99 of them and a
        // letter make a name of 100 characters, the most a name has, with a key of 3,268 bytes.
        // No other test's names start with it, so these need no tag.
        const long = "\uFDFA".repeat(99);
        const [first, second] = [`${long}a`, `${long}b`];
        const a = await newCategory(first);
        const b = await newCategory(second);
        const user = await newUser(first);
        expect(b.id).not.toBe(a.id);
        expect(await store.categories.findByName(first.toUpperCase())).toEqual(a);
        expect(await store.categories.findByName(second)).toEqual(b);
        expect(await store.categories.findByName(`${long}c`)).toBeNull();
        await expect(newCategory(`${long}A`)).rejects.toBeInstanceOf(CategoryNameTaken);
        expect(await store.users.findByUsername(`${long}A`)).toEqual(user);
        expect(await store.users.findByUsername(second)).toBeNull();
        await expect(newUser(`${long}A`)).rejects.toBeInstanceOf(UsernameTaken);
        const mine = (await store.categories.list()).map((c) => c.name).filter((n) => n.startsWith(long));
        expect(mine).toEqual([first, second]);
      });

      it("lists categories in one order: by key, compared as UTF-16 code units", async () => {
        const tag = uniqueName("");
        // Digits by character, not number; accents ignored; ß as ss; "~" after the letters; æ
        // and ø as letters of their own after z; an emoji (U+1F600) before U+E000, as in UTF-16.
        const expected = [
          "10 pins", "9 lives", "Emil", "Émile", "ezra", "Strassburg", "Straße", "Strasse Nord",
          "tilde~", "zebra", "~tilde", "æble", "Øl", "😀 smile", "\uE000 private",
        ];
        for (const name of [...expected].reverse()) await newCategory(`${tag} ${name}`);
        const mine = (await store.categories.list()).map((c) => c.name).filter((n) => n.startsWith(`${tag} `));
        expect(mine).toEqual(expected.map((name) => `${tag} ${name}`));
      });
    });

    describe("time entries", () => {
      let category: Category;
      let other: Category;
      beforeAll(async () => {
        category = await newCategory();
        other = await newCategory();
      });

      const entry = (userId: number, start: string, end: string | null, categoryId = category.id, note: string | null = null) =>
        store.entries.add({ userId, categoryId, start: at(start), end: end === null ? null : at(end), note });

      it("refuses an entry whose user or category does not exist with ReferencedRowMissing, storing nothing", async () => {
        const user = await newUser();
        await expect(entry(user.id, "2026-02-10 09:00:00", "2026-02-10 10:00:00", 2_000_000_000)).rejects.toBeInstanceOf(ReferencedRowMissing);
        await expect(entry(2_000_000_000, "2026-02-10 09:00:00", "2026-02-10 10:00:00")).rejects.toBeInstanceOf(ReferencedRowMissing);
        const added = await entry(user.id, "2026-02-10 09:00:00", "2026-02-10 10:00:00");
        const changes = { categoryId: 2_000_000_000, start: added.start, end: added.end, note: null, ...NO_BOOKING };
        await expect(store.entries.update(added.id, changes)).rejects.toBeInstanceOf(ReferencedRowMissing);
        expect(await store.entries.findById(added.id)).toEqual(added);
      });

      it("adds an entry and reads it back with its category name, to the second, in UTC", async () => {
        const user = await newUser();
        const note = "Ünïcödé ⏱️ '; DROP TABLE time_entries; -- \\ %";
        const added = await entry(user.id, "2026-02-10 09:00:05", "2026-02-10 10:30:59", category.id, note);
        const expected = {
          id: expect.any(Number),
          userId: user.id,
          categoryId: category.id,
          categoryName: category.name,
          start: at("2026-02-10 09:00:05"),
          end: at("2026-02-10 10:30:59"),
          note,
          ...UNBOOKED,
        };
        expect(added).toEqual(expected);
        expect(await store.entries.findById(added.id)).toEqual(expected);
        expect(await store.entries.findById(2_000_000_000)).toBeNull();
      });

      it("keeps a running entry with no end, and finds it as the user's running entry", async () => {
        const user = await newUser();
        const someoneElse = await newUser();
        expect(await store.entries.findRunning(user.id)).toBeNull();
        await entry(user.id, "2026-02-10 08:00", "2026-02-10 09:00");
        const running = await entry(user.id, "2026-02-10 09:00", null);
        await entry(someoneElse.id, "2026-02-10 09:00", null);
        expect(running.end).toBeNull();
        expect(await store.entries.findRunning(user.id)).toEqual(running);
      });

      it("finds overlapping entries, half-open, running ones as open-ended, not other users'", async () => {
        const user = await newUser();
        const someoneElse = await newUser();
        const a = await entry(user.id, "2026-02-10 09:00", "2026-02-10 10:00");
        const b = await entry(user.id, "2026-02-10 11:00", "2026-02-10 12:00");
        const timer = await entry(user.id, "2026-02-10 14:00", null);
        await entry(someoneElse.id, "2026-02-10 09:30", "2026-02-10 10:30");
        const ids = async (start: string, end: string | null, exclude: number | null = null) =>
          (await store.entries.findOverlapping(user.id, { start: at(start), end: end ? at(end) : null }, exclude)).map((e) => e.id);

        expect(await ids("2026-02-10 10:00", "2026-02-10 11:00")).toEqual([]);
        expect(await ids("2026-02-10 09:59", "2026-02-10 11:01")).toEqual([a.id, b.id]);
        expect(await ids("2026-02-10 08:00", "2026-02-10 09:00")).toEqual([]);
        expect(await ids("2026-02-10 09:30", "2026-02-10 09:31", a.id)).toEqual([]);
        expect(await ids("2026-03-01 00:00", "2026-03-01 01:00")).toEqual([timer.id]);
        expect(await ids("2026-02-10 13:00", "2026-02-10 14:00")).toEqual([]);
        expect(await ids("2026-02-10 11:30", null)).toEqual([b.id, timer.id]);
      });

      it("updates and removes an entry", async () => {
        const user = await newUser();
        const running = await entry(user.id, "2026-02-10 09:00", null);
        const stopped = await store.entries.update(running.id, {
          categoryId: other.id,
          start: at("2026-02-10 09:15"),
          end: at("2026-02-10 10:00"),
          note: "done",
          ...NO_BOOKING,
        });
        expect(stopped).toEqual({ ...running, categoryId: other.id, categoryName: other.name, start: at("2026-02-10 09:15"), end: at("2026-02-10 10:00"), note: "done" });
        expect(await store.entries.findById(running.id)).toEqual(stopped);
        expect(await store.entries.findRunning(user.id)).toBeNull();
        expect(await store.entries.update(2_000_000_000, { categoryId: other.id, start: at("2026-02-10 09:15"), end: null, note: null, ...NO_BOOKING })).toBeNull();
        expect(await store.entries.remove(running.id)).toBe(true);
        expect(await store.entries.remove(running.id)).toBe(false);
        expect(await store.entries.findById(running.id)).toBeNull();
      });

      it("lists and streams every field of an entry as it was stored", async () => {
        const user = await newUser();
        const closed = await entry(user.id, "2026-02-10 09:00", "2026-02-10 10:00", other.id, "a note ✓");
        const running = await entry(user.id, "2026-02-11 09:00", null);
        const query = { from: null, to: null, categoryId: null, after: null, limit: 10 };
        expect(await store.entries.listByUser(user.id, query)).toEqual([closed, running]);
        expect(await store.entries.findById(closed.id)).toEqual(closed);
        const streamed = [];
        for await (const e of store.entries.streamByUser(user.id, { from: null, to: null, categoryId: null })) streamed.push(e);
        expect(streamed).toEqual([closed, running]);
      });

      it("lists a user's entries oldest first by (start, id), a keyset page at a time", async () => {
        const user = await newUser();
        const someoneElse = await newUser();
        const c = await entry(user.id, "2026-02-12 09:00", "2026-02-12 10:00");
        const a = await entry(user.id, "2026-02-10 09:00", "2026-02-10 10:00");
        const b1 = await entry(user.id, "2026-02-11 09:00", "2026-02-11 10:00");
        await entry(someoneElse.id, "2026-02-11 09:00", "2026-02-11 10:00");
        const all = await store.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 100 });
        expect(all.map((e) => e.id)).toEqual([a.id, b1.id, c.id]);

        const first = await store.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 2 });
        expect(first.map((e) => e.id)).toEqual([a.id, b1.id]);
        const last = first.at(-1)!;
        const second = await store.entries.listByUser(user.id, {
          from: null, to: null, categoryId: null, after: { start: last.start, id: last.id }, limit: 2,
        });
        expect(second.map((e) => e.id)).toEqual([c.id]);
      });

      it("orders entries with the same start by id, and pages through them without gaps", async () => {
        const user = await newUser();
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push((await entry(user.id, "2026-02-10 09:00", "2026-02-10 09:30")).id);
        const seen: number[] = [];
        let after: { start: Date; id: number } | null = null;
        for (;;) {
          const page = await store.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after, limit: 2 });
          seen.push(...page.map((e) => e.id));
          const last = page.at(-1);
          if (page.length < 2 || !last) break;
          after = { start: last.start, id: last.id };
        }
        expect(seen).toEqual(ids);
      });

      it("filters by [from, to) overlap, running entries included, and by category", async () => {
        const user = await newUser();
        const a = await entry(user.id, "2026-02-10 08:00", "2026-02-10 09:00");
        const b = await entry(user.id, "2026-02-10 09:30", "2026-02-10 10:30", other.id);
        const c = await entry(user.id, "2026-02-10 11:00", "2026-02-10 12:00");
        const t = await entry(user.id, "2026-02-10 13:00", null, other.id);
        const list = async (from: string | null, to: string | null, categoryId: number | null = null) =>
          (await store.entries.listByUser(user.id, {
            from: from ? at(from) : null, to: to ? at(to) : null, categoryId, after: null, limit: 100,
          })).map((e) => e.id);

        expect(await list("2026-02-10 09:00", "2026-02-10 11:00")).toEqual([b.id]);
        expect(await list("2026-02-10 08:59", "2026-02-10 11:01")).toEqual([a.id, b.id, c.id]);
        expect(await list("2026-02-10 10:00", null)).toEqual([b.id, c.id, t.id]);
        expect(await list("2026-03-01 00:00", null)).toEqual([t.id]);
        expect(await list(null, "2026-02-10 09:30")).toEqual([a.id]);
        expect(await list(null, null, other.id)).toEqual([b.id, t.id]);
        expect(await list("2026-02-10 10:00", null, category.id)).toEqual([c.id]);
      });

      it("streams every matching entry in order, past any internal batch size", async () => {
        const user = await newUser();
        const base = at("2026-01-01 00:00").getTime();
        const count = 1203;
        for (let i = 0; i < count; i++) {
          const start = new Date(base + i * 3_600_000);
          await store.entries.add({ userId: user.id, categoryId: category.id, start, end: new Date(start.getTime() + 1_800_000), note: null });
        }
        const seen: number[] = [];
        for await (const e of store.entries.streamByUser(user.id, { from: null, to: null, categoryId: null })) {
          seen.push(e.start.getTime());
        }
        expect(seen).toHaveLength(count);
        expect(seen).toEqual([...seen].sort((x, y) => x - y));
        let windowed = 0;
        for await (const _ of store.entries.streamByUser(user.id, { from: new Date(base), to: new Date(base + 10 * 3_600_000), categoryId: null })) {
          windowed++;
        }
        expect(windowed).toBe(10);
      });

      it("hands a report's rows over in batches: every row of the listed users once, past the batch size", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const eve = await newUser();
        const base = at("2026-01-01 00:00").getTime();
        const add = (userId: number, i: number) => {
          const start = new Date(base + i * 3_600_000);
          return store.entries.add({ userId, categoryId: category.id, start, end: new Date(start.getTime() + 1_800_000), note: null });
        };
        // More rows than one statement reads, split over two users, and a third user not asked for.
        const perUser = 1300;
        for (let i = 0; i < perUser; i++) await Promise.all([add(ann.id, i), add(bob.id, i)]);
        await add(eve.id, 0);
        const seen = new Map<number, number>();
        let batches = 0;
        const query = { from: new Date(base), to: new Date(base + perUser * 3_600_000), categoryId: null, withTags: false, withClients: false };
        for await (const batch of store.entries.streamForReport({ ...query, userIds: [ann.id, bob.id] })) {
          expect(batch.length).toBeGreaterThan(0);
          batches++;
          for (const row of batch) seen.set(row.userId, (seen.get(row.userId) ?? 0) + 1);
        }
        expect(batches).toBeGreaterThan(1);
        expect(Object.fromEntries(seen)).toEqual({ [ann.id]: perUser, [bob.id]: perUser });
        let none = 0;
        for await (const batch of store.entries.streamForReport({ ...query, userIds: [] })) none += batch.length;
        expect(none).toBe(0);
      });

      it("sums a report in the store exactly as the summary of its rows: columns, calendar buckets, spans, filters", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const eve = await newUser();
        const client = await store.clients.add(uniqueName("client"));
        const onClient = await store.projects.add({ name: uniqueName("p"), clientId: client.id, color: null, billable: true, hourlyRateCents: 9_000 });
        const alone = await store.projects.add({ name: uniqueName("p"), clientId: null, color: null, billable: true, hourlyRateCents: null });
        // A seeded generator: the same entries on every store and every run.
        let seed = 7;
        const next = (n: number) => {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
          return seed % n;
        };
        const from = at("2026-03-23 05:17:00"); // not a midnight: the first bucket is cut
        const to = at("2026-04-06 00:00:00");
        const now = at("2026-04-02 12:00:00");
        const minute = 60_000;
        const adds: Promise<unknown>[] = [];
        for (const userId of [ann.id, bob.id, eve.id]) {
          let t = from.getTime() - 2 * 86_400_000;
          while (t < to.getTime() + 86_400_000) {
            // Short and long entries (some across midnights and the week's end, some overlapping the
            // one before, as carried-over data may), zero-length ones, and some running.
            const length = [0, 7, 45, 90, 600, 1500, 2000][next(7)]! * minute + next(60) * 1000;
            const start = new Date(t - (next(5) === 0 ? 30 * minute : 0));
            const running = next(40) === 0;
            const project = [null, onClient.id, alone.id][next(3)]!;
            adds.push(
              store.entries.add({
                userId,
                categoryId: next(2) === 0 ? category.id : other.id,
                start,
                end: running ? null : new Date(start.getTime() + length),
                note: null,
                projectId: project,
                billable: next(3) !== 0,
                hourlyRateCents: [null, 0, 1, 4_999, 12_345][next(5)]!,
              }),
            );
            t += length + next(240) * minute;
          }
        }
        await Promise.all(adds);

        const columnOf = {
          category: (row: ReportRow) => row.categoryId,
          project: (row: ReportRow) => row.projectId,
          client: (row: ReportRow) => row.clientId,
          user: (row: ReportRow) => row.userId,
        };
        const fromRows = async (groupBy: SummaryGrouping, tz: string, filter: Partial<ReportSumsQuery>) => {
          const column = groupBy in columnOf ? columnOf[groupBy as keyof typeof columnOf] : null;
          const rows = store.entries.streamForReport({
            from, to, categoryId: null, userIds: [ann.id, bob.id], withTags: false, withClients: groupBy === "client", ...filter,
          });
          const named = column && { idsOf: (row: ReportRow) => (column(row) === null ? [] : [column(row)]), nameOf: (id: string | number) => `n${id}` };
          return summarize(rows, { from, to, tz, groupBy, now }, named ?? undefined);
        };
        const fromSums = async (groupBy: SummaryGrouping, tz: string, filter: Partial<ReportSumsQuery>) => {
          const query = { from, to, now, categoryId: null, userIds: [ann.id, bob.id], ...filter };
          if (groupBy === "day" || groupBy === "week" || groupBy === "month") {
            const buckets = groupBoundaries(from, to, tz, groupBy);
            const boundaries = bucketEdges(buckets);
            const { groups, spanning } = await store.entries.sumForReport({ ...query, by: { boundaries } });
            return summaryOfBucketSums(buckets, groups, spanning, { from, to, tz, groupBy, now });
          }
          const { groups, spanning } = await store.entries.sumForReport({ ...query, by: { column: groupBy as keyof typeof columnOf } });
          expect(spanning).toEqual([]);
          return summaryOfNamedSums(groups, (id) => `n${id}`);
        };
        let spans = 0;
        for (const [groupBy, tz] of [
          ["category", "UTC"], ["project", "UTC"], ["client", "UTC"], ["user", "UTC"],
          ["day", "Europe/Berlin"], ["day", "Asia/Kathmandu"], ["week", "America/New_York"], ["month", "UTC"], ["day", "UTC"],
        ] as const) {
          for (const filter of [{}, { billable: true }, { categoryId: other.id }, { projectId: onClient.id }, { clientId: client.id }]) {
            const expected = await fromRows(groupBy, tz, filter);
            expect(expected.groups.length, `${groupBy} ${tz} ${JSON.stringify(filter)}`).toBeGreaterThan(0);
            expect(await fromSums(groupBy, tz, filter), `${groupBy} ${tz} ${JSON.stringify(filter)}`).toEqual(expected);
          }
          if (groupBy === "day") {
            const buckets = groupBoundaries(from, to, tz, groupBy);
            const boundaries = bucketEdges(buckets);
            spans += (await store.entries.sumForReport({ from, to, now, categoryId: null, userIds: [ann.id, bob.id], by: { boundaries } })).spanning.length;
          }
        }
        // The data has entries across midnights, so the spans were split in code too.
        expect(spans).toBeGreaterThan(0);
        // A long list of users, which a store may sum in parts: the same as the rows of its users.
        const idle = (await Promise.all(Array.from({ length: 7 }, () => newUser()))).map((user) => user.id);
        const many = { userIds: [ann.id, ...idle.slice(0, 4), bob.id, ...idle.slice(4), eve.id] };
        for (const groupBy of ["week", "user"] as const) {
          expect(await fromSums(groupBy, "Europe/Berlin", many), `${groupBy} of ${many.userIds.length} users`).toEqual(
            await fromRows(groupBy, "Europe/Berlin", many),
          );
        }
        // Nobody's entries for an empty list; everyone's (eve's too) without one.
        const empty = await store.entries.sumForReport({ from, to, now, categoryId: null, userIds: [], by: { column: "user" } });
        expect(empty).toEqual({ groups: [], spanning: [] });
        const everyone = await store.entries.sumForReport({ from, to, now, categoryId: null, userIds: null, by: { column: "user" } });
        expect(everyone.groups.map((g) => g.key)).toEqual(expect.arrayContaining([ann.id, bob.id, eve.id]));
      });
    });

    describe("sessions", () => {
      it("finds the user of a live session, not of an expired, revoked or unknown one", async () => {
        const user = await newUser();
        const tokenHash = uniqueName("h").padEnd(64, "0");
        await store.sessions.add({ tokenHash, userId: user.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2026-02-11 09:00") });
        expect(await store.sessions.findUser(tokenHash, at("2026-02-10 12:00"))).toEqual(user);
        expect(await store.sessions.findUser(tokenHash, at("2026-02-11 09:00"))).toBeNull();
        expect(await store.sessions.findUser("0".repeat(64), at("2026-02-10 12:00"))).toBeNull();
        expect(await store.sessions.remove(tokenHash)).toBe(true);
        expect(await store.sessions.remove(tokenHash)).toBe(false);
        expect(await store.sessions.findUser(tokenHash, at("2026-02-10 12:00"))).toBeNull();
      });

      it("answers many lookups made at once, each against its own clock", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const annHash = uniqueName("ann").padEnd(64, "0");
        const bobHash = uniqueName("bob").padEnd(64, "0");
        await store.sessions.add({ tokenHash: annHash, userId: ann.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2026-02-11 09:00") });
        await store.sessions.add({ tokenHash: bobHash, userId: bob.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2026-02-12 09:00") });
        const noon = at("2026-02-10 12:00");
        const nextDay = at("2026-02-11 12:00");
        // More than one statement's worth, with repeats, unknown hashes and different clocks.
        const asks = Array.from({ length: 150 }, (_, i) => {
          const hash = i % 3 === 0 ? annHash : i % 3 === 1 ? bobHash : `${i}`.padEnd(64, "f");
          return { hash, now: i % 2 === 0 ? noon : nextDay };
        });
        const found = await Promise.all(asks.map(({ hash, now }) => store.sessions.findUser(hash, now)));
        asks.forEach(({ hash, now }, i) => {
          const expected = hash === annHash ? (now === noon ? ann : null) : hash === bobHash ? bob : null;
          expect(found[i], `lookup ${i}`).toEqual(expected);
        });
      });

      it("removes expired sessions and keeps live ones", async () => {
        const user = await newUser();
        const live = uniqueName("live").padEnd(64, "0");
        const dead = uniqueName("dead").padEnd(64, "0");
        await store.sessions.add({ tokenHash: live, userId: user.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2100-01-01 00:00") });
        await store.sessions.add({ tokenHash: dead, userId: user.id, createdAt: at("2000-02-10 09:00"), expiresAt: at("2000-02-11 09:00") });
        expect(await store.sessions.removeExpired(at("2026-02-10 12:00"))).toBeGreaterThanOrEqual(1);
        expect(await store.sessions.findUser(live, at("2026-02-10 12:00"))).toEqual(user);
        expect(await store.sessions.remove(dead)).toBe(false);
      });
    });

    describeApiTokenContract(() => store, () => newUser());

    describe("sessions of a user", () => {
      const addSession = async (userId: number, createdAt: string, expiresAt = "2100-01-01 00:00") => {
        const tokenHash = uniqueName("s").padEnd(64, "0");
        await store.sessions.add({ tokenHash, userId, createdAt: at(createdAt), expiresAt: at(expiresAt) });
        return tokenHash;
      };

      it("lists a user's live sessions newest first, each with a public id that is not its hash", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const older = await addSession(ann.id, "2026-02-10 09:00");
        const newer = await addSession(ann.id, "2026-02-10 10:00");
        await addSession(ann.id, "2026-02-01 10:00", "2026-02-02 10:00");
        await addSession(bob.id, "2026-02-10 11:00");
        const listed = await store.sessions.listByUser(ann.id, at("2026-02-10 12:00"));
        expect(listed.map((session) => session.tokenHash)).toEqual([newer, older]);
        expect(listed[0]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), tokenHash: newer, createdAt: at("2026-02-10 10:00"), expiresAt: at("2100-01-01 00:00") });
        expect(new Set(listed.map((session) => session.id)).size).toBe(2);
        expect(listed.map((session) => session.id)).not.toContain(newer.slice(0, 32));
      });

      it("removes a session by its public id only for its own user", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const hash = await addSession(ann.id, "2026-02-10 09:00");
        const [session] = await store.sessions.listByUser(ann.id, at("2026-02-10 12:00"));
        expect(await store.sessions.removeById(bob.id, session!.id)).toBe(false);
        expect(await store.sessions.findUser(hash, at("2026-02-10 12:00"))).toEqual(ann);
        expect(await store.sessions.removeById(ann.id, session!.id)).toBe(true);
        expect(await store.sessions.removeById(ann.id, session!.id)).toBe(false);
        expect(await store.sessions.findUser(hash, at("2026-02-10 12:00"))).toBeNull();
      });

      it("removes every other session of a user, and no one else's", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const kept = await addSession(ann.id, "2026-02-10 09:00");
        await addSession(ann.id, "2026-02-10 10:00");
        await addSession(ann.id, "2026-02-10 11:00");
        const bobs = await addSession(bob.id, "2026-02-10 11:00");
        expect(await store.sessions.removeOthers(ann.id, kept)).toBe(2);
        expect((await store.sessions.listByUser(ann.id, at("2026-02-10 12:00"))).map((session) => session.tokenHash)).toEqual([kept]);
        expect(await store.sessions.findUser(bobs, at("2026-02-10 12:00"))).toEqual(bob);
      });
    });

    describe("removing a user", () => {
      it("removes the user with their entries, sessions, memberships, targets and two-factor state; others stay", async () => {
        const ann = await newUser();
        const bob = await newUser();
        const category = await newCategory();
        const entry = { categoryId: category.id, start: at("2026-02-10 09:00"), end: at("2026-02-10 10:00"), note: null };
        const annEntry = await store.entries.add({ ...entry, userId: ann.id });
        const bobEntry = await store.entries.add({ ...entry, userId: bob.id });
        const hash = uniqueName("s").padEnd(64, "0");
        await store.sessions.add({ tokenHash: hash, userId: ann.id, createdAt: at("2026-02-10 09:00"), expiresAt: at("2100-01-01 00:00") });
        const team = await store.teams.add(uniqueName("team"));
        await store.teams.setMember(team.id, ann.id, true);
        await store.preferences.replaceDailyTargets(ann.id, [{ categoryId: category.id, seconds: 3600 }]);
        await store.twoFactor.savePending(ann.id, "plain:SECRET", at("2026-02-10 09:00"));
        await store.twoFactor.enable(ann.id, 1, ["a".repeat(64)], at("2026-02-10 09:00"));

        expect(await store.users.remove(ann.id)).toBe(true);
        expect(await store.users.remove(ann.id)).toBe(false);
        expect(await store.users.findById(ann.id)).toBeNull();
        expect(await store.entries.findById(annEntry.id)).toBeNull();
        expect(await store.entries.findById(bobEntry.id)).toEqual(bobEntry);
        expect(await store.sessions.findUser(hash, at("2026-02-10 12:00"))).toBeNull();
        expect((await store.teams.findById(team.id))?.members).toEqual([]);
        expect(await store.preferences.dailyTargets(ann.id)).toEqual([]);
        expect(await store.twoFactor.find(ann.id)).toBeNull();
        expect(await store.users.findById(bob.id)).toEqual(bob);
      });
    });

    describe("two-factor state", () => {
      it("keeps a pending secret, replaced by a newer pending one, until it is enabled with its recovery codes", async () => {
        const ann = await newUser();
        expect(await store.twoFactor.find(ann.id)).toBeNull();
        await store.twoFactor.savePending(ann.id, "plain:FIRST", at("2026-02-10 09:00"));
        await store.twoFactor.savePending(ann.id, "plain:SECOND", at("2026-02-10 09:01"));
        expect(await store.twoFactor.find(ann.id)).toEqual({ sealedSecret: "plain:SECOND", enabledAt: null, lastStep: null });
        expect(await store.twoFactor.useStep(ann.id, 5)).toBe(false);
        expect(await store.twoFactor.enable(ann.id, 100, ["a".repeat(64), "b".repeat(64)], at("2026-02-10 09:02"))).toBe(true);
        expect(await store.twoFactor.enable(ann.id, 101, [], at("2026-02-10 09:03"))).toBe(false);
        expect(await store.twoFactor.find(ann.id)).toEqual({ sealedSecret: "plain:SECOND", enabledAt: at("2026-02-10 09:02"), lastStep: 100 });
        // An enabled secret is not replaced by a pending one.
        await store.twoFactor.savePending(ann.id, "plain:THIRD", at("2026-02-10 09:04"));
        expect((await store.twoFactor.find(ann.id))?.sealedSecret).toBe("plain:SECOND");
        expect(await store.twoFactor.unusedRecoveryCodes(ann.id)).toBe(2);
      });

      it("accepts each time step once and only after the last used one; each recovery code once", async () => {
        const ann = await newUser();
        const bob = await newUser();
        await store.twoFactor.savePending(ann.id, "plain:SECRET", at("2026-02-10 09:00"));
        await store.twoFactor.enable(ann.id, 100, ["a".repeat(64)], at("2026-02-10 09:00"));
        expect(await store.twoFactor.useStep(ann.id, 100)).toBe(false);
        expect(await store.twoFactor.useStep(ann.id, 99)).toBe(false);
        expect(await store.twoFactor.useStep(ann.id, 2_000_000_000)).toBe(true);
        expect(await store.twoFactor.useStep(ann.id, 2_000_000_000)).toBe(false);
        expect(await store.twoFactor.useRecoveryCode(bob.id, "a".repeat(64), at("2026-02-10 09:05"))).toBe(false);
        expect(await store.twoFactor.useRecoveryCode(ann.id, "a".repeat(64), at("2026-02-10 09:05"))).toBe(true);
        expect(await store.twoFactor.useRecoveryCode(ann.id, "a".repeat(64), at("2026-02-10 09:06"))).toBe(false);
        expect(await store.twoFactor.unusedRecoveryCodes(ann.id)).toBe(0);
      });

      it("lets one of many concurrent uses of a step or a recovery code win", async () => {
        const ann = await newUser();
        await store.twoFactor.savePending(ann.id, "plain:SECRET", at("2026-02-10 09:00"));
        await store.twoFactor.enable(ann.id, 1, ["c".repeat(64)], at("2026-02-10 09:00"));
        const steps = await Promise.all(Array.from({ length: 8 }, () => store.twoFactor.useStep(ann.id, 2)));
        expect(steps.filter(Boolean)).toHaveLength(1);
        const codes = await Promise.all(
          Array.from({ length: 8 }, () => store.twoFactor.useRecoveryCode(ann.id, "c".repeat(64), at("2026-02-10 09:01"))),
        );
        expect(codes.filter(Boolean)).toHaveLength(1);
      });

      it("forgets the secret and the recovery codes when turned off", async () => {
        const ann = await newUser();
        await store.twoFactor.savePending(ann.id, "plain:SECRET", at("2026-02-10 09:00"));
        await store.twoFactor.enable(ann.id, 1, ["d".repeat(64)], at("2026-02-10 09:00"));
        await store.twoFactor.remove(ann.id);
        expect(await store.twoFactor.find(ann.id)).toBeNull();
        expect(await store.twoFactor.unusedRecoveryCodes(ann.id)).toBe(0);
        await store.twoFactor.remove(ann.id);
      });
    });

    describe("transactor", () => {
      it("returns the work's result and hands it working repositories", async () => {
        const user = await newUser();
        const category = await newCategory();
        const added = await store.transactor.run(userScope(user.id), async (repos) =>
          repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: at("2026-02-10 10:00"), note: null }),
        );
        expect(await store.entries.findById(added.id)).toEqual(added);
      });

      it("runs concurrent work for one user one at a time, so check-then-write holds", async () => {
        const user = await newUser();
        const category = await newCategory();
        const attempt = () =>
          store.transactor.run(userScope(user.id), async (repos) => {
            const running = await repos.entries.findRunning(user.id);
            await new Promise((resolve) => setTimeout(resolve, 5));
            if (running) return false;
            await repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null });
            return true;
          });
        const results = await Promise.all(Array.from({ length: 8 }, attempt));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("keeps another request's write made while a unit of work was open, though that unit fails", async () => {
        const user = await newUser();
        const category = await newCategory();
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const failing = store.transactor.run(userScope(user.id), async (repos) => {
          await repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null });
          entered();
          await released;
          throw new Error("fails after its write");
        });
        await Promise.race([inside, failing]);
        // Another request writes while the unit of work is open; it may have to wait for it.
        const name = uniqueName("meanwhile");
        const meanwhile = store.categories.add(name);
        await new Promise((resolve) => setTimeout(resolve, 10));
        release();
        await expect(failing).rejects.toThrow("fails after its write");
        const added = await meanwhile;
        expect(await store.categories.findByName(name)).toEqual(added);
      });

      it("propagates the work's error and rolls its writes back", async () => {
        const user = await newUser();
        const category = await newCategory();
        let id = 0;
        await expect(
          store.transactor.run(userScope(user.id), async (repos) => {
            id = (await repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null })).id;
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await store.entries.findById(id)).toBeNull();
      });
    });

    describeIdentityLinkContract(() => store, () => newUser());

    describe("attempt counters", () => {
      const t0 = new Date("2026-03-01T10:00:00.000Z");
      const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

      it("counts hits in a fixed window, then starts a new one", async () => {
        const bucket = uniqueName("login:");
        expect(await store.attempts.peek(bucket, t0)).toBeNull();
        expect(await store.attempts.hit(bucket, 60, t0)).toEqual({ hits: 1, resetsAt: later(60) });
        expect(await store.attempts.hit(bucket, 60, later(30))).toEqual({ hits: 2, resetsAt: later(60) });
        expect(await store.attempts.peek(bucket, later(59.999))).toEqual({ hits: 2, resetsAt: later(60) });
        expect(await store.attempts.peek(bucket, later(60))).toBeNull();
        expect(await store.attempts.hit(bucket, 60, later(60.5))).toEqual({ hits: 1, resetsAt: later(120.5) });
        await store.attempts.clear(bucket);
        expect(await store.attempts.peek(bucket, later(61))).toBeNull();
      });

      it("keeps buckets apart and removes only ended windows", async () => {
        const short = uniqueName("register:");
        const long = uniqueName("register:");
        await store.attempts.hit(short, 10, t0);
        await store.attempts.hit(long, 3600, t0);
        expect(await store.attempts.removeExpired(later(10))).toBeGreaterThanOrEqual(1);
        expect(await store.attempts.peek(short, t0)).toBeNull();
        expect(await store.attempts.peek(long, later(10))).toEqual({ hits: 1, resetsAt: later(3600) });
      });

      it("**race**: concurrent hits on one bucket are each counted once, each with its own count", async () => {
        const bucket = uniqueName("login:");
        const windows = await Promise.all(Array.from({ length: 20 }, () => store.attempts.hit(bucket, 60, t0)));
        expect(windows.map((w) => w.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect((await store.attempts.peek(bucket, t0))?.hits).toBe(20);
      });
    });

    describe("webhook outbox", () => {
      const base = at("2026-03-01 12:00");
      const sec = (s: number) => new Date(base.getTime() + s * 1000);
      const SECRET = `whsec_${Buffer.alloc(24).toString("base64")}`;

      /** A webhook of a new user, after every delivery still due in this store is done. */
      async function quietWebhook() {
        for (let claimed = await store.webhooks.claimDue(sec(1e6), sec(2e6), 100); claimed.length > 0; claimed = await store.webhooks.claimDue(sec(1e6), sec(2e6), 100)) {
          await store.webhooks.recordAttempts(claimed.map((d) => ({ id: d.id, outcome: { kind: "delivered", statusCode: 204 }, at: sec(1e6) })));
        }
        const user = await newUser();
        return store.webhooks.add({
          userId: user.id, url: "http://203.0.113.9/", eventMask: 1, description: null, allUsers: false, secret: SECRET, createdAt: base,
        });
      }
      const ids = (claimed: readonly { id: number }[]) => claimed.map((d) => d.id);
      const queue = async (webhookId: number, second: number): Promise<number> => {
        await store.webhooks.enqueuePing(webhookId, sec(second));
        return Math.max(...ids(await store.webhooks.deliveries(webhookId, 1)));
      };

      it("claims each due delivery once, oldest first, leased until its lease ends; retries come back when due", async () => {
        const webhook = await quietWebhook();
        const pendingBefore = await store.webhooks.pendingCount();
        const [p1, p2, p3, p4, p5] = [await queue(webhook.id, 1), await queue(webhook.id, 2), await queue(webhook.id, 3), await queue(webhook.id, 4), await queue(webhook.id, 5)];
        expect(await store.webhooks.pendingCount()).toBe(pendingBefore + 5);

        const first = await store.webhooks.claimDue(sec(10), sec(70), 2);
        expect(ids(first)).toEqual([p1, p2]);
        expect(first.map((d) => [d.attempt, d.type, d.webhookId])).toEqual([[1, "webhook.ping", webhook.id], [1, "webhook.ping", webhook.id]]);
        expect(ids(await store.webhooks.claimDue(sec(10), sec(70), 10))).toEqual([p3, p4, p5]);
        expect(await store.webhooks.claimDue(sec(10), sec(70), 10)).toEqual([]);

        await store.webhooks.recordAttempts([
          { id: p1 as number, outcome: { kind: "delivered", statusCode: 204 }, at: sec(11) },
          { id: p2 as number, outcome: { kind: "retry", statusCode: 500, error: "answered 500", at: sec(20) }, at: sec(11) },
          { id: p3 as number, outcome: { kind: "failed", statusCode: null, error: "refused" }, at: sec(11) },
        ]);
        // p2 waits for its retry, p4 and p5 for their lease.
        expect(await store.webhooks.pendingCount()).toBe(pendingBefore + 3);
        expect(await store.webhooks.claimDue(sec(15), sec(75), 10)).toEqual([]);

        // A new delivery and a retry, both due: oldest first, as one round.
        const p6 = await queue(webhook.id, 16);
        const round = await store.webhooks.claimDue(sec(25), sec(85), 10);
        expect(ids(round)).toEqual([p2, p6]);
        expect(round.map((d) => d.attempt)).toEqual([2, 1]);
        // Leases that ended are claimed again (their worker is presumed gone); live ones are not.
        const again = await store.webhooks.claimDue(sec(75), sec(135), 10);
        expect(ids(again)).toEqual([p4, p5]);
        expect(again.map((d) => d.attempt)).toEqual([2, 2]);

        const log = new Map((await store.webhooks.deliveries(webhook.id, 10)).map((d) => [d.id, [d.status, d.attempts]]));
        expect([p1, p2, p3, p4, p5, p6].map((id) => log.get(id as number))).toEqual([
          ["delivered", 1], ["pending", 2], ["failed", 1], ["pending", 2], ["pending", 2], ["pending", 1],
        ]);
      });

      it("takes one at a time in order when a retry is older than the new deliveries behind it", async () => {
        const webhook = await quietWebhook();
        const n1 = await queue(webhook.id, 1);
        expect(ids(await store.webhooks.claimDue(sec(1), sec(61), 1))).toEqual([n1]);
        await store.webhooks.recordAttempts([{ id: n1, outcome: { kind: "retry", statusCode: 503, error: "answered 503", at: sec(2) }, at: sec(1) }]);
        const n2 = await queue(webhook.id, 3);
        const n3 = await queue(webhook.id, 4);
        const taken: number[] = [];
        for (let i = 0; i < 4; i++) taken.push(...ids(await store.webhooks.claimDue(sec(10), sec(70), 1)));
        expect(taken).toEqual([n1, n2, n3]);
      });

      it("leaves a delivery queued for a time still to come until that time, also in a round that claims others", async () => {
        const webhook = await quietWebhook();
        const later = await queue(webhook.id, 100);
        expect(await store.webhooks.claimDue(sec(50), sec(110), 10)).toEqual([]);
        const retried = await queue(webhook.id, 1);
        expect(ids(await store.webhooks.claimDue(sec(1), sec(61), 10))).toEqual([retried]);
        await store.webhooks.recordAttempts([{ id: retried, outcome: { kind: "retry", statusCode: 500, error: "answered 500", at: sec(2) }, at: sec(1) }]);
        expect(ids(await store.webhooks.claimDue(sec(50), sec(110), 10))).toEqual([retried]);
        // The log lists both meanwhile: one leased after a retry, one not yet due.
        expect((await store.webhooks.deliveries(webhook.id, 10)).map((d) => [d.id, d.status, d.attempts])).toEqual([
          [retried, "pending", 2], [later, "pending", 0],
        ]);
        expect(ids(await store.webhooks.claimDue(sec(100), sec(160), 10))).toEqual([later]);
      });

      it("**race**: rounds claiming at once share the queue out, each delivery to one of them", async () => {
        const webhook = await quietWebhook();
        const queued = new Set<number>();
        for (let i = 0; i < 30; i++) queued.add(await queue(webhook.id, i));
        const rounds = await Promise.all(Array.from({ length: 8 }, () => store.webhooks.claimDue(sec(60), sec(120), 5)));
        const claimed = rounds.flatMap(ids);
        expect(claimed).toHaveLength(30);
        expect(new Set(claimed)).toEqual(queued);
      });

      it("purges deliveries finished before the cut-off, a chunk at a time; pending ones stay", async () => {
        const webhook = await quietWebhook();
        // Finished long before every other test's deliveries here, so the purge takes only these.
        const [done, failed, retrying, recent, fresh] = [
          await queue(webhook.id, -3000), await queue(webhook.id, -2999), await queue(webhook.id, -2998), await queue(webhook.id, -2997), await queue(webhook.id, -2996),
        ];
        expect(ids(await store.webhooks.claimDue(sec(-2900), sec(-2800), 4))).toEqual([done, failed, retrying, recent]);
        await store.webhooks.recordAttempts([
          { id: failed as number, outcome: { kind: "failed", statusCode: 410, error: "answered 410" }, at: sec(-2000) },
          { id: done as number, outcome: { kind: "delivered", statusCode: 204 }, at: sec(-1000) },
          { id: retrying as number, outcome: { kind: "retry", statusCode: 500, error: "answered 500", at: sec(-1500) }, at: sec(-2500) },
          { id: recent as number, outcome: { kind: "delivered", statusCode: 200 }, at: sec(-100) },
        ]);
        const pending = await store.webhooks.pendingCount();

        expect(await store.webhooks.purgeFinished(sec(-500), 1)).toBe(1);
        const one = ids(await store.webhooks.deliveries(webhook.id, 10));
        expect([[fresh, recent, retrying, done], [fresh, recent, retrying, failed]]).toContainEqual(one);
        expect(await store.webhooks.purgeFinished(sec(-500), 10)).toBe(1);
        expect(await store.webhooks.purgeFinished(sec(-500), 10)).toBe(0);
        // What is left: the delivery finished after the cut-off, and the two still pending.
        expect(ids(await store.webhooks.deliveries(webhook.id, 10))).toEqual([fresh, recent, retrying]);
        expect(await store.webhooks.pendingCount()).toBe(pending);
        expect(ids(await store.webhooks.claimDue(sec(-1400), sec(-1300), 10))).toEqual([retrying, fresh]);
      });
    });
  });
}
