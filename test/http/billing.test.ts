import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectEntryShape, expectProblem, expectValidationError, makeCategory } from "../support/http-expect.js";
import { parseCsv } from "../support/csv.js";
import { uniqueName } from "../support/names.js";

/*
 * Projects, tags and billable time on entries; the rate chain fixed at write time; amounts; the
 * filters; the CSV columns; the locked period; reports by whose time and the new groupings.
 */

interface Entry {
  id: number;
  project_id: number | null;
  project: string | null;
  client: string | null;
  tags: string[];
  billable: boolean;
  hourly_rate_cents: number | null;
  amount_cents: number | null;
  start_time: string;
}

interface Group {
  key: string | null;
  seconds: number;
  entries: number;
  billable_seconds: number;
  amount_cents: number;
}

describe("billable time", () => {
  let t: TestApp;
  let owner: SignedIn;
  let category: string;
  let clientId: number;
  let clientName: string;
  let rated: { id: number; name: string };
  let unrated: { id: number; name: string };
  let nonBillable: { id: number; name: string };
  let day = 0;

  beforeAll(async () => {
    t = await testApp();
    owner = await t.owner();
    category = (await makeCategory(t, owner.token)).name;
    clientName = uniqueName("Acme");
    clientId = (await t.request("POST", "/clients", { token: owner.token, body: { name: clientName } })).json<{ client: { id: number } }>().client.id;
    const project = async (body: object) => {
      const res = await t.request("POST", "/projects", { token: owner.token, body: { name: uniqueName("P"), ...body } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ project: { id: number; name: string } }>().project;
    };
    rated = await project({ client_id: clientId, hourly_rate_cents: 9000 });
    unrated = await project({});
    nonBillable = await project({ billable: false, hourly_rate_cents: 5000 });
  });
  afterAll(() => t.close());

  /** A fresh day of February 2026 for each entry, so no two overlap. */
  const nextDay = () => {
    day += 1;
    const month = 1 + Math.floor(day / 28);
    return `2026-${String(month).padStart(2, "0")}-${String(1 + (day % 28)).padStart(2, "0")}`;
  };
  const post = (user: SignedIn, body: object, minutes = 60) => {
    const date = nextDay();
    const end = new Date(Date.parse(`${date}T09:00:00Z`) + minutes * 60_000).toISOString();
    return t.request("POST", "/entry", { token: user.token, body: { category, start_time: `${date}T09:00:00Z`, end_time: end, ...body } });
  };
  const log = async (user: SignedIn, body: object, minutes = 60): Promise<Entry> => {
    const res = await post(user, body, minutes);
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json<{ entry: Entry }>().entry;
    expectEntryShape(entry as never);
    return entry;
  };
  const memberWithRate = async (cents: number | null) => {
    const user = await t.signUp();
    if (cents !== null) {
      const res = await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { hourly_rate_cents: cents } });
      expect(res.statusCode, res.body).toBe(200);
    }
    return user;
  };

  describe("entries", () => {
    it("take the project's rate, else the user's, else none; billable follows the project", async () => {
      const user = await memberWithRate(6000);
      expect(await log(user, { project_id: rated.id })).toMatchObject({
        project_id: rated.id,
        project: rated.name,
        client: clientName,
        billable: true,
        hourly_rate_cents: 9000,
        amount_cents: 9000,
      });
      expect(await log(user, { project_id: unrated.id })).toMatchObject({ client: null, billable: true, hourly_rate_cents: 6000 });
      expect(await log(user, { project_id: nonBillable.id })).toMatchObject({ billable: false, hourly_rate_cents: 5000, amount_cents: null });
      // Without a project: not billable by default, the user's rate all the same.
      expect(await log(user, {})).toMatchObject({ project_id: null, project: null, billable: false, hourly_rate_cents: 6000, amount_cents: null });
      expect(await log(await memberWithRate(null), { project_id: unrated.id })).toMatchObject({ hourly_rate_cents: null, amount_cents: null });
      // A rate of 0 is a rate.
      expect(await log(await memberWithRate(0), { project_id: unrated.id, billable: true })).toMatchObject({ hourly_rate_cents: 0, amount_cents: 0 });
    });

    it("round amounts half up to whole cents", async () => {
      const user = await memberWithRate(100);
      // 1 minute at 1.00/h is 1.666… cents → 2; 3 minutes 30 s at 0.10/h … via the user's rate of 100.
      expect((await log(user, { billable: true }, 1)).amount_cents).toBe(2);
      const half = await memberWithRate(1); // 1 cent an hour: 30 minutes earn exactly 0.5 → 1
      expect((await log(half, { billable: true }, 30)).amount_cents).toBe(1);
      expect((await log(half, { billable: true }, 29)).amount_cents).toBe(0);
    });

    it("keep their rate when rates change later, and take a new one when their project changes", async () => {
      const user = await memberWithRate(6000);
      const entry = await log(user, { project_id: unrated.id });
      await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { hourly_rate_cents: 7000 } });
      await t.request("PATCH", `/projects/${unrated.id}`, { token: owner.token, body: { hourly_rate_cents: 1 } });
      const again = await t.request("GET", `/entry/${entry.id}`, { token: user.token });
      expect(again.json<{ entry: Entry }>().entry.hourly_rate_cents).toBe(6000);
      await t.request("PATCH", `/projects/${unrated.id}`, { token: owner.token, body: { hourly_rate_cents: null } });
      const note = await t.request("PATCH", `/entry/${entry.id}`, { token: user.token, body: { note: "still 60" } });
      expect(note.json<{ entry: Entry }>().entry.hourly_rate_cents).toBe(6000);
      const moved = await t.request("PATCH", `/entry/${entry.id}`, { token: user.token, body: { project_id: rated.id } });
      expect(moved.json<{ entry: Entry }>().entry).toMatchObject({ project_id: rated.id, hourly_rate_cents: 9000, billable: true });
      const cleared = await t.request("PATCH", `/entry/${entry.id}`, { token: user.token, body: { project_id: null } });
      expect(cleared.json<{ entry: Entry }>().entry).toMatchObject({ project_id: null, hourly_rate_cents: 7000, billable: false });
    });

    it("refuse an unknown or archived project, changing nothing", async () => {
      const user = await t.signUp();
      expectProblem(await post(user, { project_id: 2_000_000_000 }), 404, "PROJECT_NOT_FOUND");
      expectProblem(await post(user, { project_id: 99_999_999_999 }), 404, "PROJECT_NOT_FOUND");
      expectProblem(await post(user, { project_id: -1 }), 404, "PROJECT_NOT_FOUND");
      expectValidationError(await post(user, { project_id: "1" }), "/project_id");
      const archived = (
        await t.request("POST", "/projects", { token: owner.token, body: { name: uniqueName("Old") } })
      ).json<{ project: { id: number } }>().project;
      const entry = await log(user, { project_id: archived.id });
      await t.request("PATCH", `/projects/${archived.id}`, { token: owner.token, body: { archived: true } });
      expectProblem(await post(user, { project_id: archived.id }), 422, "PROJECT_ARCHIVED");
      // The entry keeps it, and an edit that names it again is no new choice.
      const edited = await t.request("PATCH", `/entry/${entry.id}`, { token: user.token, body: { project_id: archived.id, note: "x" } });
      expect(edited.statusCode, edited.body).toBe(200);
      const client = (await t.request("POST", "/clients", { token: owner.token, body: { name: uniqueName("Gone") } })).json<{ client: { id: number } }>().client;
      const ofClient = (
        await t.request("POST", "/projects", { token: owner.token, body: { name: uniqueName("P"), client_id: client.id } })
      ).json<{ project: { id: number } }>().project;
      await t.request("PATCH", `/clients/${client.id}`, { token: owner.token, body: { archived: true } });
      expectProblem(await post(user, { project_id: ofClient.id }), 422, "PROJECT_ARCHIVED");
      const list = await t.request("GET", `/entries/${user.username}`, { token: user.token });
      expect(list.json<{ entries: Entry[] }>().entries).toHaveLength(1);
    });

    it("take tags: trimmed, one per name (case-insensitively, spelled as first written), sorted", async () => {
      const user = await t.signUp();
      const first = uniqueName("Urgent");
      const entry = await log(user, { tags: [`  ${first} `, first.toUpperCase(), "zeta-" + first, "Alpha-" + first] });
      expect(entry.tags).toEqual([`Alpha-${first}`, first, `zeta-${first}`]);
      // A later spelling finds the same tag.
      const again = await log(user, { tags: [first.toLowerCase()] });
      expect(again.tags).toEqual([first]);
      const tags = (await t.request("GET", "/tags", { token: user.token })).json<{ tags: { id: number; name: string }[] }>().tags;
      expect(tags.filter((tag) => tag.name.toLowerCase().includes(first.toLowerCase())).map((tag) => tag.name)).toEqual([
        `Alpha-${first}`,
        first,
        `zeta-${first}`,
      ]);
      const replaced = await t.request("PATCH", `/entry/${entry.id}`, { token: user.token, body: { tags: [] } });
      expect(replaced.json<{ entry: Entry }>().entry.tags).toEqual([]);
      const kept = await t.request("POST", `/entry/${again.id}/stop`, { token: user.token });
      expect(kept.statusCode).toBe(409); // not running; its tags stay untouched either way
      expect((await t.request("GET", `/entry/${again.id}`, { token: user.token })).json<{ entry: Entry }>().entry.tags).toEqual([first]);
    });

    it("refuse bad tags, creating none", async () => {
      const user = await t.signUp();
      const before = (await t.request("GET", "/tags", { token: user.token })).json<{ tags: unknown[] }>().tags.length;
      expectValidationError(await post(user, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), "/tags");
      expectValidationError(await post(user, { tags: ["x".repeat(51)] }), "/tags");
      expectValidationError(await post(user, { tags: ["   "] }), "/tags");
      expectValidationError(await post(user, { tags: "a,b" }), "/tags");
      expectValidationError(await post(user, { tags: [1] }), "/tags/0");
      // Twenty-one spellings of twenty names are twenty tags: fine.
      expect((await post(user, { tags: [...Array.from({ length: 20 }, (_, i) => `u${i}-${user.username}`), `U0-${user.username}`] })).statusCode).toBe(201);
      const after = (await t.request("GET", "/tags", { token: user.token })).json<{ tags: unknown[] }>().tags.length;
      expect(after).toBe(before + 20);
    });

    it("make one tag of one new name however many entries bring it at once (race)", async () => {
      const users = await Promise.all(Array.from({ length: 6 }, () => t.signUp()));
      const name = uniqueName("Race");
      const results = await Promise.all(users.map((user, i) => post(user, { tags: [i % 2 ? name : name.toUpperCase()] })));
      expect(results.map((res) => res.statusCode)).toEqual(users.map(() => 201));
      const tags = (await t.request("GET", "/tags", { token: owner.token })).json<{ tags: { name: string }[] }>().tags;
      expect(tags.filter((tag) => tag.name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
    });
  });

  describe("lists and CSV", () => {
    it("filter by project, client, tag and billable, combined", async () => {
      const user = await memberWithRate(1000);
      const tag = uniqueName("f");
      const a = await log(user, { project_id: rated.id, tags: [tag] });
      const b = await log(user, { project_id: unrated.id, billable: false });
      const c = await log(user, { tags: [tag] });
      const ids = async (query: string) =>
        (await t.request("GET", `/entries/${user.username}?${query}`, { token: user.token })).json<{ entries: Entry[] }>().entries.map((e) => e.id);
      expect(await ids(`project_id=${rated.id}`)).toEqual([a.id]);
      expect(await ids(`client_id=${clientId}`)).toEqual([a.id]);
      expect(await ids(`tag=${encodeURIComponent(tag.toUpperCase())}`)).toEqual([a.id, c.id]);
      expect(await ids("billable=false")).toEqual([b.id, c.id]);
      expect(await ids(`billable=true&tag=${tag}`)).toEqual([a.id]);
      expect(await ids("tag=no-such-tag")).toEqual([]);
      expect(await ids("project_id=2000000000")).toEqual([]);
      expectValidationError(await t.request("GET", `/entries/${user.username}?project_id=abc`, { token: user.token }), "/project_id");
      expectValidationError(await t.request("GET", `/entries/${user.username}?billable=maybe`, { token: user.token }), "/billable");
    });

    it("export the six new columns after the seven old ones", async () => {
      const user = await memberWithRate(1200);
      const tag = uniqueName("csv");
      await log(user, { project_id: rated.id, tags: ["b" + tag, "a" + tag] }, 30);
      const res = await t.request("GET", `/entries/${user.username}?format=csv`, { token: user.token });
      const [header, row] = parseCsv(res.body);
      expect(header?.slice(7)).toEqual(["project", "client", "tags", "billable", "hourly_rate_cents", "amount_cents"]);
      expect(row?.slice(7)).toEqual([rated.name, clientName, `a${tag};b${tag}`, "true", "9000", "4500"]);
    });
  });

  describe("the locked period", () => {
    it("stops members, not admins, writing entries that start before it; everyone reads it", async () => {
      const member = await t.signUp();
      const early = await log(member, {});
      const running = await t.request("POST", "/entry", { token: member.token, body: { category, start_time: new Date(Date.now() - 3_600_000).toISOString() } });
      const timer = running.json<{ entry: Entry }>().entry;
      expectProblem(await t.request("PATCH", "/settings", { token: member.token, body: { lock_before: "2026-03-01T00:00:00Z" } }), 403, "FORBIDDEN");
      const set = await t.request("PATCH", "/settings", { token: owner.token, body: { lock_before: "2030-01-01T00:00:00Z" } });
      expect(set.json()).toEqual({ registration: "open", lock_before: "2030-01-01T00:00:00Z", currency: "EUR" });
      expect((await t.request("GET", "/settings", { token: member.token })).json()).toEqual(set.json());
      try {
        expectProblem(await post(member, {}), 409, "PERIOD_LOCKED");
        expectProblem(await t.request("PATCH", `/entry/${early.id}`, { token: member.token, body: { note: "late" } }), 409, "PERIOD_LOCKED");
        expectProblem(await t.request("DELETE", `/entry/${early.id}`, { token: member.token }), 409, "PERIOD_LOCKED");
        expectProblem(await t.request("POST", `/entry/${timer.id}/stop`, { token: member.token }), 409, "PERIOD_LOCKED");
        expect((await post(owner, {})).statusCode).toBe(201);
        // Moving an entry into the locked period is refused too.
        await t.request("PATCH", "/settings", { token: owner.token, body: { lock_before: early.start_time } });
        const later = await log(member, {});
        expectProblem(
          await t.request("PATCH", `/entry/${later.id}`, { token: member.token, body: { start_time: "2020-01-01T09:00:00Z", end_time: "2020-01-01T10:00:00Z" } }),
          409,
          "PERIOD_LOCKED",
        );
        expect((await t.request("PATCH", `/entry/${early.id}`, { token: member.token, body: { note: "on the edge" } })).statusCode).toBe(200);
      } finally {
        const lifted = await t.request("PATCH", "/settings", { token: owner.token, body: { lock_before: null } });
        expect(lifted.json()).toMatchObject({ lock_before: null });
      }
      expect((await t.request("DELETE", `/entry/${early.id}`, { token: member.token })).statusCode).toBe(204);
      expectValidationError(await t.request("PATCH", "/settings", { token: owner.token, body: { lock_before: "soon" } }), "/lock_before");
      expectValidationError(await t.request("PATCH", "/settings", { token: owner.token, body: {} }), "/lock_before");
    });
  });
});

describe("reports: whose time, groupings, amounts", () => {
  let t: TestApp;
  let owner: SignedIn;
  let lead: SignedIn;
  let member: SignedIn;
  let outsider: SignedIn;
  let teamId: number;
  let otherTeamId: number;
  let project: { id: number; name: string };
  let category: string;
  const range = "from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z";

  beforeAll(async () => {
    t = await testApp();
    owner = await t.owner();
    [lead, member, outsider] = [await t.signUp(), await t.signUp(), await t.signUp()];
    category = (await makeCategory(t, owner.token)).name;
    await t.request("PATCH", `/users/${member.username}`, { token: owner.token, body: { hourly_rate_cents: 3600 } });
    project = (await t.request("POST", "/projects", { token: owner.token, body: { name: uniqueName("Site"), hourly_rate_cents: 7200 } })).json<{
      project: { id: number; name: string };
    }>().project;
    teamId = (await t.request("POST", "/teams", { token: owner.token, body: { name: uniqueName("Team") } })).json<{ team: { id: number } }>().team.id;
    otherTeamId = (await t.request("POST", "/teams", { token: owner.token, body: { name: uniqueName("Other") } })).json<{ team: { id: number } }>().team.id;
    await t.request("PUT", `/teams/${teamId}/members/${lead.username}`, { token: owner.token, body: { lead: true } });
    await t.request("PUT", `/teams/${teamId}/members/${member.username}`, { token: owner.token, body: {} });
    await t.request("PUT", `/teams/${otherTeamId}/members/${outsider.username}`, { token: owner.token, body: { lead: true } });
    const log = async (user: SignedIn, start: string, end: string, extra: object) => {
      const res = await t.request("POST", "/entry", { token: user.token, body: { category, start_time: start, end_time: end, ...extra } });
      expect(res.statusCode, res.body).toBe(201);
    };
    // The member: 1 h on the project (7200/h), 30 min billable at their own rate with two tags, 15 min not billable.
    await log(member, "2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z", { project_id: project.id, tags: ["a"] });
    await log(member, "2026-05-05T09:00:00Z", "2026-05-05T09:30:00Z", { billable: true, tags: ["a", "b"] });
    await log(member, "2026-05-06T09:00:00Z", "2026-05-06T09:15:00Z", {});
    await log(lead, "2026-05-04T09:00:00Z", "2026-05-04T11:00:00Z", {});
    await log(outsider, "2026-05-04T09:00:00Z", "2026-05-04T09:10:00Z", {});
  });
  afterAll(() => t.close());

  const report = (user: SignedIn, query: string) => t.request("GET", `/reports/summary?${range}&${query}`, { token: user.token });
  const groups = async (user: SignedIn, query: string) => {
    const res = await report(user, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ groups: Group[]; total_seconds: number; billable_seconds: number; amount_cents: number; currency: string }>();
  };

  it("adds billable seconds, amounts and the currency, in every group and in the totals", async () => {
    const body = await groups(member, "group_by=project");
    expect(body).toMatchObject({ total_seconds: 6300, billable_seconds: 5400, amount_cents: 7200 + 1800, currency: "EUR" });
    expect(body.groups).toEqual([
      { key: project.name, seconds: 3600, entries: 1, billable_seconds: 3600, amount_cents: 7200 },
      { key: null, seconds: 2700, entries: 2, billable_seconds: 1800, amount_cents: 1800 },
    ]);
  });

  it("groups by tag counting an entry in each of its tags, and once in the total", async () => {
    const body = await groups(member, "group_by=tag");
    expect(body.total_seconds).toBe(6300);
    expect(body.groups.map((g) => [g.key, g.seconds])).toEqual([
      ["a", 5400],
      ["b", 1800],
      [null, 900],
    ]);
  });

  it("reports a team to its lead and to admins, by user; a member or another lead may not", async () => {
    const body = await groups(lead, `team_id=${teamId}&group_by=user`);
    expect(body.groups.map((g) => [g.key, g.seconds]).sort()).toEqual([[lead.username, 7200], [member.username, 6300]].sort());
    expect((await groups(owner, `team_id=${teamId}`)).total_seconds).toBe(13_500);
    expectProblem(await report(member, `team_id=${teamId}`), 403, "FORBIDDEN");
    expectProblem(await report(outsider, `team_id=${teamId}`), 404, "TEAM_NOT_FOUND");
    expectProblem(await report(lead, "team_id=2000000000"), 404, "TEAM_NOT_FOUND");
    expectValidationError(await report(lead, "team_id=abc"), "/team_id");
  });

  it("reports one user to whoever may see them, and everyone to admins", async () => {
    expect((await groups(lead, `user=${member.username}`)).total_seconds).toBe(6300);
    expectProblem(await report(outsider, `user=${member.username}`), 403, "FORBIDDEN");
    expectProblem(await report(member, "user=nobody-at-all"), 404, "USER_NOT_FOUND");
    expect((await groups(owner, "all_users=true&group_by=user")).groups.map((g) => g.key)).toContain(outsider.username);
    expectProblem(await report(lead, "all_users=true"), 403, "FORBIDDEN");
    expectValidationError(await report(owner, `all_users=true&user=${member.username}`), "/user");
  });

  it("filters as lists do", async () => {
    expect((await groups(member, "billable=true")).total_seconds).toBe(5400);
    expect((await groups(member, `project_id=${project.id}`)).total_seconds).toBe(3600);
    expect((await groups(member, "tag=B")).total_seconds).toBe(1800);
    expect((await groups(member, "tag=none-such")).total_seconds).toBe(0);
    expect((await groups(member, `category=${encodeURIComponent(category)}&group_by=client`)).groups).toEqual([
      { key: null, seconds: 6300, entries: 3, billable_seconds: 5400, amount_cents: 9000 },
    ]);
  });
});
