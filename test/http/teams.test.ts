import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, logEntry, makeCategory } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

interface TeamBody {
  id: number;
  name: string;
  members: { username: string; lead: boolean }[];
}

describe("teams", () => {
  let t: TestApp;
  let owner: SignedIn;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await testApp();
    owner = await t.owner();
    admin = await t.signUp();
    expect((await t.request("PATCH", `/users/${admin.username}`, { token: owner.token, body: { role: "admin" } })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const createTeam = async (name = uniqueName("Team")): Promise<TeamBody> => {
    const res = await t.request("POST", "/teams", { token: admin.token, body: { name } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ team: TeamBody }>().team;
  };
  const join = async (team: TeamBody, user: SignedIn, lead = false) => {
    const res = await t.request("PUT", `/teams/${team.id}/members/${user.username}`, { token: admin.token, body: { lead } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ team: TeamBody }>().team;
  };

  it("lets admins create, rename, staff and delete teams; members are sorted by username", async () => {
    const name = uniqueName("Design");
    const team = await createTeam(`  ${name} `);
    expect(team).toEqual({ id: expect.any(Number), name, members: [] });
    const [b, a] = [await t.signUp(uniqueName("b")), await t.signUp(uniqueName("a"))];
    await join(team, b, true);
    const staffed = await join(team, a);
    expect(staffed.members).toEqual([
      { username: a.username, lead: false },
      { username: b.username, lead: true },
    ]);
    // PUT again changes the lead flag; no body means "not a lead".
    const demoted = await t.request("PUT", `/teams/${team.id}/members/${b.username}`, { token: admin.token });
    expect(demoted.json<{ team: TeamBody }>().team.members.find((m) => m.username === b.username)?.lead).toBe(false);

    const renamed = await t.request("PATCH", `/teams/${team.id}`, { token: owner.token, body: { name: `${name} 2` } });
    expect(renamed.json<{ team: TeamBody }>().team.name).toBe(`${name} 2`);
    expect((await t.request("DELETE", `/teams/${team.id}/members/${a.username}`, { token: admin.token })).statusCode).toBe(204);
    expectProblem(await t.request("DELETE", `/teams/${team.id}/members/${a.username}`, { token: admin.token }), 404, "USER_NOT_FOUND");
    expect((await t.request("DELETE", `/teams/${team.id}`, { token: admin.token })).statusCode).toBe(204);
    expectProblem(await t.request("GET", `/teams/${team.id}`, { token: admin.token }), 404, "TEAM_NOT_FOUND");
    expectProblem(await t.request("DELETE", `/teams/${team.id}`, { token: admin.token }), 404, "TEAM_NOT_FOUND");
  });

  it("refuses a taken name in any case (409), also when two arrive at once (race)", async () => {
    const name = uniqueName("Ops");
    await createTeam(name);
    expectProblem(await t.request("POST", "/teams", { token: admin.token, body: { name: name.toUpperCase() } }), 409, "TEAM_NAME_TAKEN");
    const other = await createTeam();
    expectProblem(await t.request("PATCH", `/teams/${other.id}`, { token: admin.token, body: { name } }), 409, "TEAM_NAME_TAKEN");

    const raced = uniqueName("Race");
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request("POST", "/teams", { token: admin.token, body: { name: i % 2 ? raced : raced.toLowerCase() } })),
    );
    expect(answers.filter((res) => res.statusCode === 201)).toHaveLength(1);
    for (const res of answers.filter((r) => r.statusCode !== 201)) expectProblem(res, 409, "TEAM_NAME_TAKEN");
  });

  it("shows a member only their own teams, and hides the others behind 404", async () => {
    const mine = await createTeam();
    const theirs = await createTeam();
    const member = await t.signUp();
    await join(mine, member);
    const listed = (await t.request("GET", "/teams", { token: member.token })).json<{ teams: TeamBody[] }>().teams;
    expect(listed.map((team) => team.id)).toEqual([mine.id]);
    expect((await t.request("GET", `/teams/${mine.id}`, { token: member.token })).statusCode).toBe(200);
    expectProblem(await t.request("GET", `/teams/${theirs.id}`, { token: member.token }), 404, "TEAM_NOT_FOUND");
    const all = (await t.request("GET", "/teams", { token: admin.token })).json<{ teams: TeamBody[] }>().teams;
    expect(all.map((team) => team.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const names = all.map((team) => team.name);
    expect(names).toEqual([...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
  });

  it("keeps every team write to admins (403 for members and leads)", async () => {
    const team = await createTeam();
    const lead = await t.signUp();
    await join(team, lead, true);
    for (const actor of [lead, await t.signUp()]) {
      expectProblem(await t.request("POST", "/teams", { token: actor.token, body: { name: uniqueName("x") } }), 403, "FORBIDDEN");
      expectProblem(await t.request("PATCH", `/teams/${team.id}`, { token: actor.token, body: { name: uniqueName("x") } }), 403, "FORBIDDEN");
      expectProblem(await t.request("DELETE", `/teams/${team.id}`, { token: actor.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("PUT", `/teams/${team.id}/members/${actor.username}`, { token: actor.token, body: { lead: true } }), 403, "FORBIDDEN");
      expectProblem(await t.request("DELETE", `/teams/${team.id}/members/${lead.username}`, { token: actor.token }), 403, "FORBIDDEN");
    }
  });

  it("answers 404 for unknown teams and users and 400 for bad bodies", async () => {
    const team = await createTeam();
    for (const id of ["0", "abc", "99999999", "-1"]) {
      expectProblem(await t.request("GET", `/teams/${id}`, { token: admin.token }), 404, "TEAM_NOT_FOUND");
    }
    expectProblem(await t.request("PUT", `/teams/${team.id}/members/${uniqueName("nobody")}`, { token: admin.token, body: {} }), 404, "USER_NOT_FOUND");
    expectProblem(await t.request("PUT", `/teams/99999999/members/${admin.username}`, { token: admin.token, body: {} }), 404, "TEAM_NOT_FOUND");
    expectValidationError(await t.request("POST", "/teams", { token: admin.token, body: { name: "   " } }), "/name");
    expectValidationError(await t.request("POST", "/teams", { token: admin.token, body: { name: "x".repeat(101) } }), "/name");
    expectValidationError(await t.request("POST", "/teams", { token: admin.token, body: { name: "x", extra: 1 } }), "/extra");
    expectValidationError(await t.request("PUT", `/teams/${team.id}/members/${admin.username}`, { token: admin.token, body: { lead: "yes" } }), "/lead");
  });

  describe("who sees whose time", () => {
    it("lets a lead see the entries of their team's members, and nobody else's; writes stay the owner's", async () => {
      const team = await createTeam();
      const lead = await t.signUp();
      const member = await t.signUp();
      const outsider = await t.signUp();
      await join(team, lead, true);
      await join(team, member);
      const category = await makeCategory(t, member.token);
      const entry = await logEntry(t, member.token, { category: category.name, start_time: "2026-03-02 09:00:00", end_time: "2026-03-02 10:00:00" });
      const outsiderEntry = await logEntry(t, outsider.token, { category: category.name, start_time: "2026-03-02 09:00:00", end_time: "2026-03-02 10:00:00" });

      const list = await t.request("GET", `/entries/${member.username}`, { token: lead.token });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json<{ username: string; entries: { id: number; username: string }[] }>()).toMatchObject({
        username: member.username,
        entries: [{ id: entry.id, username: member.username }],
      });
      const csv = await t.request("GET", `/entries/${member.username}?format=csv`, { token: lead.token });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toContain(`${entry.id},${member.username},`);
      const one = await t.request("GET", `/entry/${entry.id}`, { token: lead.token });
      expect(one.json<{ entry: { username: string } }>().entry.username).toBe(member.username);

      // The lead sees no one outside the team; a member does not see the lead's team-mates.
      expectProblem(await t.request("GET", `/entries/${outsider.username}`, { token: lead.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("GET", `/entry/${outsiderEntry.id}`, { token: lead.token }), 404, "ENTRY_NOT_FOUND");
      expectProblem(await t.request("GET", `/entries/${lead.username}`, { token: member.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("GET", `/entry/${entry.id}`, { token: outsider.token }), 404, "ENTRY_NOT_FOUND");

      // Writing an entry is for its owner only, whatever the role.
      for (const actor of [lead, admin, owner]) {
        expectProblem(await t.request("PATCH", `/entry/${entry.id}`, { token: actor.token, body: { note: "x" } }), 404, "ENTRY_NOT_FOUND");
        expectProblem(await t.request("DELETE", `/entry/${entry.id}`, { token: actor.token }), 404, "ENTRY_NOT_FOUND");
        expectProblem(await t.request("POST", `/entry/${entry.id}/stop`, { token: actor.token }), 404, "ENTRY_NOT_FOUND");
      }

      // Out of the team, out of sight.
      expect((await t.request("DELETE", `/teams/${team.id}/members/${member.username}`, { token: admin.token })).statusCode).toBe(204);
      expectProblem(await t.request("GET", `/entries/${member.username}`, { token: lead.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("GET", `/entry/${entry.id}`, { token: lead.token }), 404, "ENTRY_NOT_FOUND");
    });

    it("lets an admin see everyone's entries, and a plain member of a team nobody else's", async () => {
      const team = await createTeam();
      const a = await t.signUp();
      const b = await t.signUp();
      await join(team, a);
      await join(team, b);
      const category = await makeCategory(t, a.token);
      const entry = await logEntry(t, a.token, { category: category.name, start_time: "2026-03-03 09:00:00", end_time: "2026-03-03 10:00:00" });
      for (const viewer of [admin, owner]) {
        expect((await t.request("GET", `/entries/${a.username}`, { token: viewer.token })).statusCode).toBe(200);
        expect((await t.request("GET", `/entry/${entry.id}`, { token: viewer.token })).statusCode).toBe(200);
      }
      expectProblem(await t.request("GET", `/entries/${a.username}`, { token: b.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("GET", `/entry/${entry.id}`, { token: b.token }), 404, "ENTRY_NOT_FOUND");
    });
  });
});
