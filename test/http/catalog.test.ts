import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

interface ClientBody {
  id: number;
  name: string;
  archived: boolean;
}

interface ProjectBody {
  id: number;
  name: string;
  client_id: number | null;
  client: string | null;
  color: string | null;
  billable: boolean;
  hourly_rate_cents: number | null;
  archived: boolean;
}

const PROJECT_KEYS = ["archived", "billable", "client", "client_id", "color", "hourly_rate_cents", "id", "name"];

describe("clients and projects", () => {
  let t: TestApp;
  let owner: SignedIn;
  let admin: SignedIn;
  let member: SignedIn;
  beforeAll(async () => {
    t = await testApp();
    owner = await t.owner();
    admin = await t.signUp();
    member = await t.signUp();
    expect((await t.request("PATCH", `/users/${admin.username}`, { token: owner.token, body: { role: "admin" } })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const created = <T>(res: LightMyRequestResponse, key: string): T => {
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Record<string, T>>()[key] as T;
  };
  const ok = <T>(res: LightMyRequestResponse, key: string): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, T>>()[key] as T;
  };
  const createClient = async (name = uniqueName("Client")): Promise<ClientBody> =>
    created<ClientBody>(await t.request("POST", "/clients", { token: admin.token, body: { name } }), "client");
  const createProject = async (body: Record<string, unknown> = {}): Promise<ProjectBody> =>
    created<ProjectBody>(
      await t.request("POST", "/projects", { token: admin.token, body: { name: uniqueName("Project"), ...body } }),
      "project",
    );
  const patchClient = async (id: number, body: Record<string, unknown>): Promise<ClientBody> =>
    ok<ClientBody>(await t.request("PATCH", `/clients/${id}`, { token: admin.token, body }), "client");
  const patchProject = async (id: number, body: Record<string, unknown>): Promise<ProjectBody> =>
    ok<ProjectBody>(await t.request("PATCH", `/projects/${id}`, { token: admin.token, body }), "project");
  const listClients = async (query = "", token = admin.token): Promise<ClientBody[]> =>
    ok<ClientBody[]>(await t.request("GET", `/clients${query}`, { token }), "clients");
  const listProjects = async (query = "", token = admin.token): Promise<ProjectBody[]> =>
    ok<ProjectBody[]>(await t.request("GET", `/projects${query}`, { token }), "projects");
  const ids = (items: readonly { id: number }[]) => items.map((item) => item.id);
  /** Of requests sent at once, one created what they asked for; each other one is a 409 `code`. */
  const expectOneCreated = (answers: readonly LightMyRequestResponse[], code: string) => {
    expect(answers.filter((res) => res.statusCode === 201)).toHaveLength(1);
    for (const res of answers.filter((r) => r.statusCode !== 201)) expectProblem(res, 409, code);
  };

  describe("clients", () => {
    it("creates a client as first written (trimmed), renames it, and lists clients sorted by name", async () => {
      const tag = uniqueName("");
      const banana = await createClient(`  banana ${tag} `);
      expect(banana).toEqual({ id: expect.any(Number), name: `banana ${tag}`, archived: false });
      const apple = await createClient(`Apple ${tag}`);
      const cherry = await createClient(`cherry ${tag}`);
      const mine = (await listClients()).filter((client) => client.name.endsWith(tag));
      expect(mine).toEqual([apple, banana, cherry]);

      expect(await patchClient(banana.id, { name: `Blueberry ${tag}` })).toEqual({ ...banana, name: `Blueberry ${tag}` });
      expect(await patchClient(banana.id, { name: `Blueberry ${tag}` })).toEqual({ ...banana, name: `Blueberry ${tag}` });
    });

    it("refuses a name in use, compared by the name rule ('Café' is 'cafe'), also on rename", async () => {
      const tag = uniqueName("");
      await createClient(`Café ${tag}`);
      for (const name of [`cafe ${tag}`, `CAFÉ ${tag}`, ` café ${tag}  `]) {
        expectProblem(await t.request("POST", "/clients", { token: admin.token, body: { name } }), 409, "CLIENT_NAME_TAKEN");
      }
      const other = await createClient(`Tea ${tag}`);
      expectProblem(await t.request("PATCH", `/clients/${other.id}`, { token: admin.token, body: { name: `CAFE ${tag}` } }), 409, "CLIENT_NAME_TAKEN");
      // Its own name in another case is no collision: that is a rename.
      expect((await patchClient(other.id, { name: `TEA ${tag}` })).name).toBe(`TEA ${tag}`);
      // A name that differs by an emoji is another name.
      await createClient(`🍎 ${tag}`);
      await createClient(`🍌 ${tag}`);
    });

    it("of eight creations of one name at once, exactly one wins (race)", async () => {
      const name = uniqueName("Race");
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.request("POST", "/clients", { token: admin.token, body: { name: i % 2 ? name : name.toUpperCase() } })),
      );
      expectOneCreated(answers, "CLIENT_NAME_TAKEN");
    });

    it("hides archived clients unless include_archived=true, and brings them back when unarchived", async () => {
      const client = await createClient();
      const archived = await patchClient(client.id, { archived: true });
      expect(archived).toEqual({ ...client, archived: true });
      expect(ids(await listClients())).not.toContain(client.id);
      expect(ids(await listClients("?include_archived=false"))).not.toContain(client.id);
      expect(await listClients("?include_archived=true")).toContainEqual(archived);
      // An archived client's name stays taken.
      expectProblem(await t.request("POST", "/clients", { token: admin.token, body: { name: client.name } }), 409, "CLIENT_NAME_TAKEN");
      expect(await patchClient(client.id, { archived: false })).toEqual(client);
      expect(ids(await listClients())).toContain(client.id);
    });

    it("answers 404 CLIENT_NOT_FOUND for ids that name no client", async () => {
      for (const id of ["0", "abc", "99999999", "-1", "1.5", "99999999999"]) {
        expectProblem(await t.request("PATCH", `/clients/${id}`, { token: admin.token, body: { archived: true } }), 404, "CLIENT_NOT_FOUND");
      }
    });

    it.each([
      [{ name: "   " }, "/name"],
      [{ name: "x".repeat(101) }, "/name"],
      [{ name: "x".repeat(1001) }, "/name"],
      [{ name: 12 }, "/name"],
      [{}, "/name"],
      [{ name: "x", extra: 1 }, "/extra"],
    ])("refuses the body %j on POST /clients (400 at %s)", async (body, path) => {
      expectValidationError(await t.request("POST", "/clients", { token: admin.token, body }), path);
    });

    it.each([
      [{}, "/"],
      [{ archived: "yes" }, "/archived"],
      [{ name: "" }, "/name"],
      [{ name: "x", color: "#000000" }, "/color"],
    ])("refuses the body %j on PATCH /clients/{id} (400 at %s)", async (body, path) => {
      const client = await createClient();
      expectValidationError(await t.request("PATCH", `/clients/${client.id}`, { token: admin.token, body }), path);
    });

    it("refuses a bad include_archived and unknown query parameters", async () => {
      expectValidationError(await t.request("GET", "/clients?include_archived=yes", { token: member.token }), "/include_archived");
      expectValidationError(await t.request("GET", "/clients?archived=true", { token: member.token }), "/archived");
    });
  });

  describe("projects", () => {
    it("creates a project with the defaults: no client, no colour, billable, no rate, not archived", async () => {
      const name = uniqueName("Plain");
      const res = await t.request("POST", "/projects", { token: admin.token, body: { name: ` ${name} ` } });
      const project = created<ProjectBody>(res, "project");
      expect(Object.keys(project).sort()).toEqual(PROJECT_KEYS);
      expect(project).toEqual({
        id: expect.any(Number),
        name,
        client_id: null,
        client: null,
        color: null,
        billable: true,
        hourly_rate_cents: null,
        archived: false,
      });
    });

    it("creates a project under a client, with its colour (kept in lower case), billing and rate", async () => {
      const client = await createClient();
      const project = await createProject({ client_id: client.id, color: "#A1b2C3", billable: false, hourly_rate_cents: 0 });
      expect(project).toMatchObject({
        client_id: client.id,
        client: client.name,
        color: "#a1b2c3",
        billable: false,
        hourly_rate_cents: 0,
        archived: false,
      });
      // The client's name follows a rename.
      await patchClient(client.id, { name: `${client.name} renamed` });
      expect((await listProjects(`?client_id=${client.id}`)).map((p) => p.client)).toEqual([`${client.name} renamed`]);
    });

    it("keeps one name per client and one among projects without a client, by the name rule", async () => {
      const name = `Café ${uniqueName("")}`;
      const [a, b] = [await createClient(), await createClient()];
      await createProject({ name, client_id: a.id });
      await createProject({ name, client_id: b.id });
      await createProject({ name });
      for (const clientId of [a.id, b.id, null]) {
        const res = await t.request("POST", "/projects", { token: admin.token, body: { name: name.toUpperCase().replace("É", "E"), client_id: clientId } });
        expectProblem(res, 409, "PROJECT_NAME_TAKEN");
      }
      // Moving a project to a client that has its name, or renaming to a taken name, is refused too.
      const other = await createProject({ name: `${name} other`, client_id: a.id });
      expectProblem(await t.request("PATCH", `/projects/${other.id}`, { token: admin.token, body: { name: ` ${name}` } }), 409, "PROJECT_NAME_TAKEN");
      const lone = await createProject({ name: `${name} other` });
      expectProblem(await t.request("PATCH", `/projects/${lone.id}`, { token: admin.token, body: { client_id: a.id } }), 409, "PROJECT_NAME_TAKEN");
    });

    it("of concurrent creations of one name under one client, exactly one wins; under two clients both do (race)", async () => {
      const [a, b] = [await createClient(), await createClient()];
      for (const clientId of [a.id, null]) {
        const name = uniqueName("Race");
        const answers = await Promise.all(
          Array.from({ length: 8 }, () => t.request("POST", "/projects", { token: admin.token, body: { name, client_id: clientId } })),
        );
        expectOneCreated(answers, "PROJECT_NAME_TAKEN");
      }
      const name = uniqueName("Both");
      const both = await Promise.all(
        [a.id, b.id].map((clientId) => t.request("POST", "/projects", { token: admin.token, body: { name, client_id: clientId } })),
      );
      expect(both.map((res) => res.statusCode)).toEqual([201, 201]);
    });

    it("answers 404 CLIENT_NOT_FOUND for a client that does not exist, on create and on change", async () => {
      expectProblem(await t.request("POST", "/projects", { token: admin.token, body: { name: uniqueName("p"), client_id: 99_999_999 } }), 404, "CLIENT_NOT_FOUND");
      const project = await createProject();
      expectProblem(await t.request("PATCH", `/projects/${project.id}`, { token: admin.token, body: { client_id: 99_999_999 } }), 404, "CLIENT_NOT_FOUND");
      // A field that breaks its rule is a 400 whatever the client.
      expectValidationError(await t.request("POST", "/projects", { token: admin.token, body: { name: " ", client_id: 99_999_999 } }), "/name");
      expectValidationError(await t.request("PATCH", `/projects/${project.id}`, { token: admin.token, body: { color: "red", client_id: 99_999_999 } }), "/color");
      // The project named in the path comes first.
      expectProblem(await t.request("PATCH", "/projects/99999999", { token: admin.token, body: { client_id: 99_999_999 } }), 404, "PROJECT_NOT_FOUND");
    });

    it("changes what is given and keeps the rest; null clears the client, colour and rate", async () => {
      const client = await createClient();
      const project = await createProject({ client_id: client.id, color: "#112233", hourly_rate_cents: 9_000 });
      const renamed = await patchProject(project.id, { name: `${project.name} 2` });
      expect(renamed).toEqual({ ...project, name: `${project.name} 2` });
      const changed = await patchProject(project.id, { billable: false, hourly_rate_cents: 12_500, color: "#FFFFFF" });
      expect(changed).toEqual({ ...renamed, billable: false, hourly_rate_cents: 12_500, color: "#ffffff" });
      const cleared = await patchProject(project.id, { client_id: null, color: null, hourly_rate_cents: null });
      expect(cleared).toEqual({ ...changed, client_id: null, client: null, color: null, hourly_rate_cents: null });
      const moved = await patchProject(project.id, { client_id: client.id });
      expect(moved).toEqual({ ...cleared, client_id: client.id, client: client.name });
    });

    it("answers 404 PROJECT_NOT_FOUND for ids that name no project", async () => {
      for (const id of ["0", "abc", "99999999", "-1", "99999999999"]) {
        expectProblem(await t.request("PATCH", `/projects/${id}`, { token: admin.token, body: { archived: true } }), 404, "PROJECT_NOT_FOUND");
      }
    });

    it("filters by client and sorts by name (one name under two clients by the clients' names)", async () => {
      const tag = uniqueName("");
      const [zed, abc] = [await createClient(`Zed ${tag}`), await createClient(`abc ${tag}`)];
      const web = await createProject({ name: `web ${tag}`, client_id: zed.id });
      const webAbc = await createProject({ name: `web ${tag}`, client_id: abc.id });
      const api = await createProject({ name: `API ${tag}`, client_id: zed.id });
      const design = await createProject({ name: `design ${tag}`, client_id: zed.id });
      const lone = await createProject({ name: `web ${tag}` });
      expect(ids(await listProjects(`?client_id=${zed.id}`))).toEqual([api.id, design.id, web.id]);
      expect(ids(await listProjects(`?client_id=${abc.id}`))).toEqual([webAbc.id]);
      const mine = (await listProjects()).filter((project) => project.name.endsWith(tag));
      expect(ids(mine)).toEqual([api.id, design.id, lone.id, webAbc.id, web.id]);
      // A client that does not exist has no projects.
      expect(await listProjects("?client_id=99999999")).toEqual([]);
    });

    it("counts a project of an archived client as archived: listed so, and hidden by default", async () => {
      const client = await createClient();
      const project = await createProject({ client_id: client.id });
      const own = await createProject({ client_id: client.id });
      await patchProject(own.id, { archived: true });
      await patchClient(client.id, { archived: true });
      expect(await listProjects(`?client_id=${client.id}`)).toEqual([]);
      expect(ids(await listProjects())).not.toContain(project.id);
      const all = await listProjects(`?client_id=${client.id}&include_archived=true`);
      expect(ids(all).sort((x, y) => x - y)).toEqual([project.id, own.id].sort((x, y) => x - y));
      expect(all.map((p) => p.archived)).toEqual([true, true]);
      // Unarchiving the project itself does not help while its client is archived.
      expect((await patchProject(project.id, { archived: false })).archived).toBe(true);
      // A new project under an archived client is archived from the start.
      expect((await createProject({ client_id: client.id })).archived).toBe(true);

      await patchClient(client.id, { archived: false });
      const back = await listProjects(`?client_id=${client.id}`);
      expect(back.map((p) => p.archived)).toEqual(back.map(() => false));
      expect(ids(back)).toContain(project.id);
      expect(ids(back)).not.toContain(own.id);
    });

    it.each([
      [{ name: 7 }, "/name"],
      [{}, "/name"],
      [{ name: " " }, "/name"],
      [{ name: "x".repeat(101) }, "/name"],
      [{ name: "x".repeat(1001) }, "/name"],
      [{ name: "x", client_id: "1" }, "/client_id"],
      [{ name: "x", client_id: 0 }, "/client_id"],
      [{ name: "x", client_id: 1.5 }, "/client_id"],
      [{ name: "x", color: "red" }, "/color"],
      [{ name: "x", color: "#12345" }, "/color"],
      [{ name: "x", color: "#gggggg" }, "/color"],
      [{ name: "x", color: 123 }, "/color"],
      [{ name: "x", billable: "yes" }, "/billable"],
      [{ name: "x", billable: null }, "/billable"],
      [{ name: "x", hourly_rate_cents: -1 }, "/hourly_rate_cents"],
      [{ name: "x", hourly_rate_cents: 1.5 }, "/hourly_rate_cents"],
      [{ name: "x", hourly_rate_cents: "100" }, "/hourly_rate_cents"],
      [{ name: "x", hourly_rate_cents: 10_000_001 }, "/hourly_rate_cents"],
      [{ name: "x", archived: true }, "/archived"],
      [{ name: "x", client: "Acme" }, "/client"],
    ])("refuses the body %j on POST /projects (400 at %s)", async (body, path) => {
      expectValidationError(await t.request("POST", "/projects", { token: admin.token, body }), path);
    });

    it.each([
      [{}, "/"],
      [{ archived: 1 }, "/archived"],
      [{ color: "#abc" }, "/color"],
      [{ hourly_rate_cents: -5 }, "/hourly_rate_cents"],
      [{ name: "" }, "/name"],
      [{ id: 3 }, "/id"],
    ])("refuses the body %j on PATCH /projects/{id} (400 at %s)", async (body, path) => {
      const project = await createProject();
      expectValidationError(await t.request("PATCH", `/projects/${project.id}`, { token: admin.token, body }), path);
    });

    it("refuses a PATCH without a body", async () => {
      const project = await createProject();
      expectProblem(await t.request("PATCH", `/projects/${project.id}`, { token: admin.token }), 400, "VALIDATION_FAILED");
    });

    it.each(["abc", "0", "-1", "1.5", "9999999999", "", "1e3"])("refuses client_id=%s as a query (400)", async (raw) => {
      expectValidationError(await t.request("GET", `/projects?client_id=${raw}`, { token: member.token }), "/client_id");
    });

    it("refuses a bad include_archived and unknown query parameters on GET /projects", async () => {
      expectValidationError(await t.request("GET", "/projects?include_archived=1", { token: member.token }), "/include_archived");
      expectValidationError(await t.request("GET", "/projects?tag=x", { token: member.token }), "/tag");
    });
  });

  describe("who may read and write", () => {
    const roles = ["member", "admin", "owner"] as const;
    const actor = (role: (typeof roles)[number]): SignedIn => ({ member, admin, owner })[role];

    it.each(roles.map((role) => [role, role !== "member"] as const))("lets a %s write clients and projects: %s", async (role, allowed) => {
      const token = actor(role).token;
      const client = await createClient();
      const project = await createProject();
      const attempts = [
        await t.request("POST", "/clients", { token, body: { name: uniqueName("c") } }),
        await t.request("PATCH", `/clients/${client.id}`, { token, body: { name: uniqueName("c") } }),
        await t.request("POST", "/projects", { token, body: { name: uniqueName("p"), client_id: client.id } }),
        await t.request("PATCH", `/projects/${project.id}`, { token, body: { billable: false } }),
      ];
      for (const res of attempts) {
        if (allowed) expect([200, 201], res.body).toContain(res.statusCode);
        else expectProblem(res, 403, "FORBIDDEN");
      }
    });

    it.each(roles)("lets a %s read clients and projects", async (role) => {
      const client = await createClient();
      const project = await createProject({ client_id: client.id });
      expect(ids(await listClients("", actor(role).token))).toContain(client.id);
      expect(ids(await listProjects(`?client_id=${client.id}`, actor(role).token))).toEqual([project.id]);
    });

    it("refuses a member before looking for the client or project (403, not 404)", async () => {
      expectProblem(await t.request("PATCH", "/clients/99999999", { token: member.token, body: { archived: true } }), 403, "FORBIDDEN");
      expectProblem(await t.request("PATCH", "/projects/99999999", { token: member.token, body: { archived: true } }), 403, "FORBIDDEN");
    });

    it.each(roles.map((role) => [role, role !== "member"] as const))("shows a %s the projects' rates: %s (null otherwise)", async (role, sees) => {
      const project = await createProject({ hourly_rate_cents: 15_000 });
      const seen = (await listProjects("?include_archived=true", actor(role).token)).find((p) => p.id === project.id);
      expect(seen?.hourly_rate_cents).toBe(sees ? 15_000 : null);
      expect(Object.keys(seen ?? {}).sort()).toEqual(PROJECT_KEYS);
    });

    it("answers 401 without a token", async () => {
      for (const [method, url] of [["GET", "/clients"], ["POST", "/clients"], ["PATCH", "/clients/1"], ["GET", "/projects"], ["POST", "/projects"], ["PATCH", "/projects/1"]] as const) {
        expectProblem(await t.request(method, url, { body: { name: "x" } }), 401, "UNAUTHENTICATED");
      }
    });
  });

  it("documents every route in /openapi.json under the catalog tag", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json<{ paths: Record<string, Record<string, { tags: string[]; operationId: string }>> }>();
    const operations = [
      ["/clients", "post", "createClient"],
      ["/clients", "get", "listClients"],
      ["/clients/{id}", "patch", "updateClient"],
      ["/projects", "post", "createProject"],
      ["/projects", "get", "listProjects"],
      ["/projects/{id}", "patch", "updateProject"],
    ] as const;
    for (const [path, method, operationId] of operations) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toMatchObject({ tags: ["catalog"], operationId });
    }
  });
});
