import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, makeCategory, type EntryBody } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";
import { Secret, TOTP } from "otpauth";
import { createServer, type Server } from "node:http";

/*
 * Who may call what: every operation of GET /openapi.json that needs a token, called by each kind
 * of caller, against API.md (part 2, "Roles, teams, the instance", "Clients, projects, tags,
 * billable time", "Reports"). A route that needs a role the caller lacks is 403 FORBIDDEN; what the
 * caller may not see is 404 as if it did not exist. A refused request changes nothing; an allowed
 * write changes what it says. The guard at the end fails the suite when a route has no row here.
 */

/** The callers: the owner, an admin, a plain member of team A, the lead of team A, the lead of team B (not in A). */
type Actor = "owner" | "admin" | "member" | "leadA" | "leadB";
const ACTORS: readonly Actor[] = ["owner", "admin", "member", "leadA", "leadB"];
const WHO: Record<Actor, string> = {
  owner: "the owner",
  admin: "an admin",
  member: "a plain member of team A",
  leadA: "the lead of team A",
  leadB: "the lead of team B",
};
const ROLE: Record<Actor, string> = { owner: "owner", admin: "admin", member: "member", leadA: "member", leadB: "member" };
const isAdmin = (who: Actor) => who === "owner" || who === "admin";

type Refusal = { readonly status: 403 | 404; readonly code: string };
type Outcome = 200 | 201 | 202 | 204 | Refusal;
const FORBIDDEN: Refusal = { status: 403, code: "FORBIDDEN" };
const NO_ENTRY: Refusal = { status: 404, code: "ENTRY_NOT_FOUND" };
const NO_TEAM: Refusal = { status: 404, code: "TEAM_NOT_FOUND" };
const NO_WEBHOOK: Refusal = { status: 404, code: "WEBHOOK_NOT_FOUND" };
const shown = (outcome: Outcome) => (typeof outcome === "number" ? String(outcome) : `${outcome.status} ${outcome.code}`);

const everyone = (outcome: Outcome): Record<Actor, Outcome> => ({
  owner: outcome,
  admin: outcome,
  member: outcome,
  leadA: outcome,
  leadB: outcome,
});
const adminsOnly = (allowed: Outcome) => ({ ...everyone(FORBIDDEN), owner: allowed, admin: allowed });
const ownerOnly = (allowed: Outcome) => ({ ...everyone(FORBIDDEN), owner: allowed });
/** A team-A member's time: admins and the lead of A see it; a team-mate and the lead of B get `denied`. */
const seersOfTeamA = (allowed: Outcome, denied: Refusal) => ({ ...everyone(allowed), member: denied, leadB: denied });

interface Call {
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Sent instead of the caller's usual token. */
  readonly token?: string;
  /** What the request may change, read by someone who sees it: a refusal leaves it, an allowed write changes it. */
  readonly state?: () => Promise<unknown>;
  /** The write asks for what is already so: allowed or not, the state stays. */
  readonly changesNothing?: boolean;
  /** More checks of an allowed answer. */
  readonly verify?: (res: LightMyRequestResponse) => void;
  readonly cleanup?: () => Promise<unknown>;
}

interface Row {
  /** Method and path template, as /openapi.json names the operation. */
  readonly op: string;
  /** What the call is about, for the test's name. */
  readonly what: string;
  readonly outcomes: Record<Actor, Outcome>;
  readonly call: (actor: SignedIn, who: Actor) => Promise<Call>;
}

const PUBLIC = ["GET /health", "POST /register", "POST /login", "GET /openapi.json", "GET /docs", "GET /auth/oidc", "GET /auth/oidc/login", "GET /auth/oidc/callback", "GET /get/categories"];
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The day of the reports: 2022-06-01, when only the subject worked, one hour. */
const REPORT_DAY = "/reports/summary?from=2022-06-01T00:00:00Z&to=2022-06-02T00:00:00Z";
/** An id that names nothing. */
const MISSING = 999_999_999;

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
/** The path of `template` with any value in its `{parameters}`. */
const templatePattern = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);

describe("the role matrix: every route, every kind of caller", () => {
  let t: TestApp;
  let users: Record<Actor, SignedIn>;
  /** A member of team A (led by leadA, with member in it too) whose time the others ask for. */
  let subject: SignedIn;
  let teamA: number;
  let teamB: number;
  let category: string;
  let categoryId: number;
  /** The subject's only time in the report range: one hour. */
  let reported: EntryBody;
  let timerBase: number;
  let timers = 0;
  let counter = 0;
  const next = () => ++counter;

  const ok = <T>(res: LightMyRequestResponse, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return status === 204 ? (undefined as T) : res.json<T>();
  };
  const asAdmin = (method: string, url: string, body?: unknown) => t.request(method, url, { token: users.admin.token, body });
  /** GET `url` as `token` sees it now: status and body. */
  const reading = (url: string, token: string) => async () => {
    const res = await t.request("GET", url, { token });
    return { status: res.statusCode, body: res.body };
  };
  const readingAsOwner = (url: string) => reading(url, users.owner.token);

  /** Half an hour of 2021 no other entry of this file uses. */
  const slot = () => {
    const start = Date.UTC(2021, 0, 1) + next() * 3_600_000;
    return { start_time: iso(start), end_time: iso(start + 1_800_000) };
  };
  const logEntry = async (user: SignedIn, times: object = slot()) =>
    ok<{ entry: EntryBody }>(await t.request("POST", "/entry", { token: user.token, body: { category, ...times } }), 201).entry;
  /** A running timer of `user`, started later than every timer before it (and before now). */
  const startTimer = (user: SignedIn) => logEntry(user, { start_time: iso(timerBase + ++timers * 120_000) });
  const aMinuteIn = (entry: EntryBody) => ({ end_time: iso(Date.parse(entry.start_time) + 60_000) });
  /** A fresh user, only registered; with `owner`, made an owner too (so that no change to it meets LAST_OWNER). */
  const freshUser = async (role: "member" | "owner" = "member") => {
    const username = uniqueName("target");
    ok(await t.request("POST", "/register", { body: { username, password: PASSWORD } }), 201);
    if (role === "owner") ok(await t.request("PATCH", `/users/${username}`, { token: users.owner.token, body: { role } }));
    return username;
  };
  const join = async (team: number, username: string, lead = false) =>
    ok(await asAdmin("PUT", `/teams/${team}/members/${username}`, { lead }));
  /** A fresh team like team A (which is made with it): led by leadA, with member and the subject in it. */
  const freshTeam = async () => {
    const team = ok<{ team: { id: number } }>(await asAdmin("POST", "/teams", { name: uniqueName("Team") }), 201).team.id;
    await join(team, users.leadA.username, true);
    await join(team, users.member.username);
    await join(team, subject.username);
    return team;
  };
  const freshId = async (url: string, key: string, body: object) =>
    ok<Record<string, { id: number }>>(await asAdmin("POST", url, body), 201)[key]!.id;

  // --- The rows ---------------------------------------------------------------------------------

  /** A read of `url` (the path of the op unless told), with more checks of an allowed answer. */
  const read = (
    op: string,
    outcomes: Record<Actor, Outcome>,
    verify?: (res: LightMyRequestResponse, who: Actor, actor: SignedIn) => void,
    what = "",
    url: () => string = () => op.slice("GET ".length),
  ): Row => ({
    op,
    what,
    outcomes,
    call: async (actor, who) => ({ url: url(), ...(verify ? { verify: (res) => verify(res, who, actor) } : {}) }),
  });

  const userChange = (what: string, outcomes: Record<Actor, Outcome>, target: "member" | "owner", body: object): Row => ({
    op: "PATCH /users/{username}",
    what,
    outcomes,
    call: async () => ({ url: `/users/${await freshUser(target)}`, body, state: readingAsOwner("/users?limit=1000") }),
  });

  const usersAndSessions: Row[] = [
    {
      op: "POST /logout",
      what: "its own session",
      outcomes: everyone(204),
      call: async (actor) => {
        const { token } = await t.logIn(actor.username);
        return { url: "/logout", token, state: reading("/me", token) };
      },
    },
    read("GET /me", everyone(200), (res, who, actor) =>
      expect(res.json()).toMatchObject({ username: actor.username, role: ROLE[who] }),
    ),
    read(
      "GET /users",
      everyone(200),
      (res, who) => {
        const listed = res.json<{ users: object[] }>().users;
        expect(listed.length).toBeGreaterThan(5);
        expect(listed.filter((user) => "hourly_rate_cents" in user !== isAdmin(who))).toEqual([]);
      },
      "(rates to admins only)",
      () => "/users?limit=1000",
    ),
    userChange("a member's role", ownerOnly(200), "member", { role: "admin" }),
    userChange("a member's active", adminsOnly(200), "member", { active: false }),
    userChange("a member's rate", adminsOnly(200), "member", { hourly_rate_cents: 4200 }),
    userChange("an owner's role", ownerOnly(200), "owner", { role: "member" }),
    userChange("an owner's active", ownerOnly(200), "owner", { active: false }),
    userChange("an owner's rate", adminsOnly(200), "owner", { hourly_rate_cents: 4200 }),
    {
      op: "PATCH /users/{username}",
      what: "its own role, to owner",
      outcomes: ownerOnly(200),
      call: async (actor) => ({
        url: `/users/${actor.username}`,
        body: { role: "owner" },
        state: readingAsOwner("/users?limit=1000"),
        changesNothing: true,
      }),
    },
    {
      op: "PATCH /users/{username}",
      what: "its own rate",
      outcomes: adminsOnly(200),
      call: async (actor) => ({
        url: `/users/${actor.username}`,
        body: { hourly_rate_cents: 1000 + next() },
        state: readingAsOwner("/users?limit=1000"),
      }),
    },
    {
      op: "POST /category",
      what: "a new one",
      outcomes: everyone(201),
      call: async (actor) => ({ url: "/category", body: { name: uniqueName("cat") }, state: reading("/category", actor.token) }),
    },
    read("GET /category", everyone(200)),
    read("GET /me/preferences", everyone(200), (res) => expect(Array.isArray(res.json<{ daily_targets: unknown }>().daily_targets)).toBe(true)),
    {
      op: "PATCH /me/preferences",
      what: "its own daily targets",
      outcomes: everyone(200),
      call: async (actor) => {
        const daily_targets = [{ category_id: categoryId, seconds: 60 + next() }];
        return {
          url: "/me/preferences",
          body: { daily_targets },
          state: reading("/me/preferences", actor.token),
          verify: (res) => expect(res.json()).toEqual({ daily_targets }),
        };
      },
    },
  ];

  const invitationsAndSettings: Row[] = [
    {
      op: "POST /invitations",
      what: "for an admin",
      outcomes: adminsOnly(201),
      call: async () => ({ url: "/invitations", body: { role: "admin" }, state: readingAsOwner("/invitations") }),
    },
    read("GET /invitations", adminsOnly(200)),
    {
      op: "DELETE /invitations/{id}",
      what: "an unused one",
      outcomes: adminsOnly(204),
      call: async () => ({
        url: `/invitations/${await freshId("/invitations", "invitation", {})}`,
        state: readingAsOwner("/invitations"),
      }),
    },
    read("GET /settings", everyone(200), (res) => expect(Object.keys(res.json()).sort()).toEqual(["currency", "lock_before", "registration"])),
    {
      op: "PATCH /settings",
      what: "the locked period (in 2000: before every entry here)",
      outcomes: adminsOnly(200),
      call: async () => ({
        url: "/settings",
        body: { lock_before: iso(Date.UTC(2000, 0, 1) + next() * 1000) },
        state: readingAsOwner("/settings"),
      }),
    },
    read("GET /tags", everyone(200)),
  ];

  /** A write to a fresh team like team A (so its lead's refusal is a refusal of its own lead). */
  const teamWrite = (op: string, what: string, allowed: Outcome, call: (team: number, actor: SignedIn) => Partial<Call>): Row => ({
    op,
    what,
    outcomes: adminsOnly(allowed),
    call: async (actor) => {
      const team = await freshTeam();
      return { url: `/teams/${team}`, state: reading(`/teams/${team}`, users.admin.token), ...call(team, actor) };
    },
  });

  const teams: Row[] = [
    {
      op: "POST /teams",
      what: "a new one",
      outcomes: adminsOnly(201),
      call: async () => ({ url: "/teams", body: { name: uniqueName("Team") }, state: reading("/teams", users.admin.token) }),
    },
    read(
      "GET /teams",
      everyone(200),
      (res, who) => {
        const ids = res.json<{ teams: { id: number }[] }>().teams.map((team) => team.id);
        const seen = { owner: [teamA, teamB], admin: [teamA, teamB], member: [teamA], leadA: [teamA], leadB: [teamB] }[who];
        expect([teamA, teamB].filter((team) => ids.includes(team))).toEqual(seen);
      },
      "(admins: all; others: their own)",
    ),
    read("GET /teams/{id}", { ...everyone(200), leadB: NO_TEAM }, undefined, "team A", () => `/teams/${teamA}`),
    teamWrite("PATCH /teams/{id}", "renaming it", 200, () => ({ body: { name: uniqueName("Renamed") } })),
    teamWrite("DELETE /teams/{id}", "deleting it", 204, () => ({})),
    teamWrite("PUT /teams/{id}/members/{username}", "making a member its lead", 200, (team) => ({
      url: `/teams/${team}/members/${subject.username}`,
      body: { lead: true },
    })),
    // (The lead of A leads this team already: for it, the refusal is all there is to see.)
    teamWrite("PUT /teams/{id}/members/{username}", "adding oneself as its lead", 200, (team, actor) => ({
      url: `/teams/${team}/members/${actor.username}`,
      body: { lead: true },
    })),
    teamWrite("DELETE /teams/{id}/members/{username}", "taking a member out", 204, (team) => ({
      url: `/teams/${team}/members/${subject.username}`,
    })),
  ];

  /** POST to a catalog list, and PATCH a fresh item of it: admins only. */
  const catalogRows = (list: "/clients" | "/projects", key: string): Row[] => {
    const state = () => reading(`${list}?include_archived=true`, users.admin.token);
    return [
      {
        op: `POST ${list}`,
        what: "a new one",
        outcomes: adminsOnly(201),
        call: async () => ({ url: list, body: { name: uniqueName(key) }, state: state() }),
      },
      read(`GET ${list}`, everyone(200)),
      {
        op: `PATCH ${list}/{id}`,
        what: "renaming and archiving one",
        outcomes: adminsOnly(200),
        call: async () => ({
          url: `${list}/${await freshId(list, key, { name: uniqueName(key) })}`,
          body: { name: uniqueName(key), archived: true },
          state: state(),
        }),
      },
    ];
  };

  /** An entry route called on the caller's own entry (allowed to all) and on the subject's. */
  const entryRows = (
    op: string,
    own: Outcome,
    others: Record<Actor, Outcome>,
    make: (owner: SignedIn) => Promise<EntryBody>,
    call: (entry: EntryBody) => Partial<Call>,
  ): Row[] =>
    (["own", "subject"] as const).map((whose) => ({
      op,
      what: whose === "own" ? "its own entry" : "an entry of a team-A member",
      outcomes: whose === "own" ? everyone(own) : others,
      call: async (actor) => {
        const owner = whose === "own" ? actor : subject;
        const entry = await make(owner);
        const cleanup = async () => t.request("POST", `/entry/${entry.id}/stop`, { token: owner.token, body: aMinuteIn(entry) });
        return {
          url: `/entry/${entry.id}`,
          state: op.startsWith("GET") ? undefined : reading(`/entry/${entry.id}`, owner.token),
          cleanup: entry.end_time === null ? cleanup : undefined,
          ...call(entry),
        };
      },
    }));

  const entriesOf = (username: string) => `/entries/${username}?limit=1000`;
  const listRow = (what: string, query: string, headers: Record<string, string> | undefined, csv: boolean): Row => ({
    op: "GET /entries/{username}",
    what,
    outcomes: seersOfTeamA(200, FORBIDDEN),
    call: async () => ({
      url: `/entries/${subject.username}${query}`,
      headers,
      verify: (res) => {
        if (csv) {
          expect(res.headers["content-type"]).toMatch(/^text\/csv/);
          expect(res.body).toContain(`\n${reported.id},${subject.username},`);
        } else {
          expect(res.json<{ entries: EntryBody[] }>().entries.map((entry) => entry.id)).toContain(reported.id);
        }
      },
    }),
  });

  const entries: Row[] = [
    {
      op: "POST /entry",
      what: "its own",
      outcomes: everyone(201),
      call: async (actor) => ({ url: "/entry", body: { category, ...slot() }, state: reading(entriesOf(actor.username), actor.token) }),
    },
    {
      op: "POST /entry",
      what: "naming a team-A member as its user",
      outcomes: everyone(FORBIDDEN),
      call: async () => ({
        url: "/entry",
        body: { username: subject.username, category, ...slot() },
        state: reading(entriesOf(subject.username), subject.token),
      }),
    },
    ...entryRows("POST /entry/{id}/stop", 200, everyone(NO_ENTRY), startTimer, (entry) => ({
      url: `/entry/${entry.id}/stop`,
      body: aMinuteIn(entry),
    })),
    ...entryRows("GET /entry/{id}", 200, seersOfTeamA(200, NO_ENTRY), logEntry, (entry) => ({
      verify: (res) => expect(res.json<{ entry: EntryBody }>().entry).toMatchObject({ id: entry.id, username: entry.username }),
    })),
    ...entryRows("PATCH /entry/{id}", 200, everyone(NO_ENTRY), logEntry, () => ({ body: { note: uniqueName("note") } })),
    ...entryRows("DELETE /entry/{id}", 204, everyone(NO_ENTRY), logEntry, () => ({})),
    {
      op: "GET /entries/{username}",
      what: "its own",
      outcomes: everyone(200),
      call: async (actor) => ({ url: entriesOf(actor.username) }),
    },
    listRow("a team-A member's", "", undefined, false),
    listRow("a team-A member's, as CSV (format=csv)", "?format=csv", undefined, true),
    listRow("a team-A member's, as CSV (Accept: text/csv)", "", { accept: "text/csv" }, true),
  ];

  /** A summary of 2022-06-01, when only the subject worked (one hour); `expected` is the total an allowed answer shows. */
  const reportRow = (what: string, query: () => string, outcomes: Record<Actor, Outcome>, expected: number): Row => ({
    op: "GET /reports/summary",
    what,
    outcomes,
    call: async () => ({
      url: `${REPORT_DAY}${query()}`,
      verify: (res) => expect(res.json<{ total_seconds: number }>().total_seconds).toBe(expected),
    }),
  });

  const reports: Row[] = [
    reportRow("of its own time", () => "", everyone(200), 0),
    reportRow("of a team-A member (user=)", () => `&user=${subject.username}`, seersOfTeamA(200, FORBIDDEN), 3600),
    reportRow("of team A (team_id=)", () => `&team_id=${teamA}`, { ...seersOfTeamA(200, NO_TEAM), member: FORBIDDEN }, 3600),
    reportRow("of a team that does not exist", () => `&team_id=${MISSING}`, everyone(NO_TEAM), 0),
    reportRow("of everyone (all_users=true)", () => "&all_users=true", adminsOnly(200), 3600),
  ];

  /** API tokens: each caller's own (a login session manages them). */
  const apiTokens: Row[] = [
    {
      op: "POST /tokens",
      what: "its own",
      outcomes: everyone(201),
      call: async (actor) => ({ url: "/tokens", body: { name: uniqueName("token"), scope: "read" }, state: reading("/tokens", actor.token) }),
    },
    read("GET /tokens", everyone(200)),
    {
      op: "DELETE /tokens/{id}",
      what: "its own",
      outcomes: everyone(204),
      call: async (actor) => {
        const made = await t.request("POST", "/tokens", { token: actor.token, body: { name: uniqueName("token"), scope: "read" } });
        return { url: `/tokens/${ok<{ token: { id: number } }>(made, 201).token.id}`, state: reading("/tokens", actor.token) };
      },
    },
  ];

  /** The seed app's compatibility routes: the caller's own entries only. */
  const seedApp: Row[] = [
    read("GET /protected", everyone(200), (res, _who, actor) => expect(res.json()).toMatchObject({ user: actor.username })),
    read("GET /entry", everyone(200), (res, _who, actor) => expect(res.json()).toMatchObject({ username: actor.username })),
    {
      op: "POST /entry/create",
      what: "its own",
      outcomes: everyone(201),
      call: async (actor) => ({ url: "/entry/create", body: { category, ...slot() }, state: reading(entriesOf(actor.username), actor.token) }),
    },
    ...entryRows("PUT /entry/{id}", 200, everyone(NO_ENTRY), logEntry, () => ({ body: { category, ...slot() } })),
    ...entryRows("DELETE /entry/delete", 200, everyone(NO_ENTRY), logEntry, (entry) => ({ url: "/entry/delete", body: { entry_id: entry.id } })),
    {
      op: "POST /entry/batch-import",
      what: "its own",
      outcomes: everyone(200),
      call: async (actor) => ({
        url: "/entry/batch-import",
        body: { entries: [{ category, ...slot() }] },
        state: reading(entriesOf(actor.username), actor.token),
        verify: (res) => expect(res.json()).toEqual({ success: 1, failed: 0, errors: [] }),
      }),
    },
  ];

  /** A fresh account's session (an owner's for the owner, so that it is not the last one): for what ends or changes an account. */
  const freshSession = async (who: Actor) => t.logIn(await freshUser(who === "owner" ? "owner" : "member"));
  const totpCode = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();
  /** Starts two-factor setup for `session`; returns the secret. */
  const startTotp = async (session: SignedIn) => ok<{ secret: string }>(await t.request("POST", "/me/totp", { token: session.token })).secret;

  const account: Row[] = [
    {
      op: "POST /me/password",
      what: "its own (to the same; its other sessions end)",
      outcomes: everyone(204),
      call: async (actor) => {
        await t.logIn(actor.username);
        return {
          url: "/me/password",
          body: { current_password: PASSWORD, new_password: PASSWORD },
          state: reading("/me/sessions", actor.token),
        };
      },
    },
    read("GET /me/sessions", everyone(200), (res) =>
      expect(res.json<{ sessions: { current: boolean }[] }>().sessions.filter((session) => session.current)).toHaveLength(1),
    ),
    {
      op: "DELETE /me/sessions/{id}",
      what: "another of its own",
      outcomes: everyone(204),
      call: async (actor) => {
        const other = await t.logIn(actor.username);
        const listed = ok<{ sessions: { id: string; current: boolean }[] }>(await t.request("GET", "/me/sessions", { token: other.token }));
        const id = listed.sessions.find((session) => session.current)!.id;
        return { url: `/me/sessions/${id}`, state: reading("/me/sessions", actor.token) };
      },
    },
    read("GET /me/export", everyone(200), (res, _who, actor) =>
      expect(res.json<{ profile: { username: string } }>().profile.username).toBe(actor.username),
    ),
    {
      op: "DELETE /me",
      what: "a fresh account (an owner's for the owner)",
      outcomes: everyone(204),
      call: async (_actor, who) => {
        const session = await freshSession(who);
        return { url: "/me", token: session.token, body: { password: PASSWORD }, state: readingAsOwner("/users?limit=1000") };
      },
    },
    {
      op: "POST /me/totp",
      what: "its own setup (not on until confirmed)",
      outcomes: everyone(200),
      call: async (_actor, who) => {
        const session = await freshSession(who);
        return { url: "/me/totp", token: session.token, verify: (res) => expect(res.json()).toHaveProperty("otpauth_url") };
      },
    },
    {
      op: "POST /me/totp/confirm",
      what: "a fresh account's setup",
      outcomes: everyone(200),
      call: async (_actor, who) => {
        const session = await freshSession(who);
        const secret = await startTotp(session);
        return {
          url: "/me/totp/confirm",
          token: session.token,
          body: { code: totpCode(secret) },
          verify: (res) => expect(res.json<{ recovery_codes: string[] }>().recovery_codes).toHaveLength(10),
        };
      },
    },
    {
      op: "DELETE /me/totp",
      what: "a fresh account's, with a recovery code",
      outcomes: everyone(204),
      call: async (_actor, who) => {
        const session = await freshSession(who);
        const secret = await startTotp(session);
        const codes = ok<{ recovery_codes: string[] }>(
          await t.request("POST", "/me/totp/confirm", { token: session.token, body: { code: totpCode(secret) } }),
        ).recovery_codes;
        return { url: "/me/totp", token: session.token, body: { code: codes[0] } };
      },
    },
  ];

  /** Webhooks point at a local receiver that answers 204 (private networks are allowed in this file). */
  let receiver: Server;
  let hookUrl: string;
  const freshWebhook = async (owner: SignedIn, body: object = {}) =>
    ok<{ webhook: { id: number } }>(
      await t.request("POST", "/webhooks", { token: owner.token, body: { url: hookUrl, events: ["*"], ...body } }),
      201,
    ).webhook.id;
  /** Rows for a route on one webhook: the caller's own (allowed), and the subject's (hidden: 404). */
  const webhookRows = (op: string, status: 200 | 202 | 204, more: (id: number, actor: SignedIn) => Partial<Call>): Row[] => {
    const [, template] = op.split(" ") as [string, string];
    return [
      {
        op,
        what: "its own",
        outcomes: everyone(status),
        call: async (actor) => {
          const id = await freshWebhook(actor);
          return { url: template.replace("{id}", String(id)), ...more(id, actor) };
        },
      },
      {
        op,
        what: "another user's",
        outcomes: everyone(NO_WEBHOOK),
        call: async (actor) => {
          const id = await freshWebhook(subject);
          return { url: template.replace("{id}", String(id)), ...more(id, actor), state: reading(`/webhooks/${id}`, subject.token) };
        },
      },
    ];
  };
  const integrations: Row[] = [
    read("GET /sync/entries", everyone(200), (res) => expect(res.json()).toHaveProperty("has_more")),
    {
      op: "POST /webhooks",
      what: "its own",
      outcomes: everyone(201),
      call: async (actor) => ({
        url: "/webhooks",
        body: { url: hookUrl, events: ["entry.created"] },
        state: reading("/webhooks", actor.token),
      }),
    },
    {
      op: "POST /webhooks",
      what: "for all users (all_users=true)",
      outcomes: adminsOnly(201),
      call: async (actor) => ({
        url: "/webhooks",
        body: { url: hookUrl, events: ["entry.created"], all_users: true },
        state: reading("/webhooks", actor.token),
      }),
    },
    read("GET /webhooks", everyone(200), (res) => expect(res.json()).toHaveProperty("webhooks")),
    ...webhookRows("GET /webhooks/{id}", 200, () => ({})),
    ...webhookRows("PATCH /webhooks/{id}", 200, (id, actor) => ({
      body: { description: uniqueName("hook") },
      state: reading(`/webhooks/${id}`, actor.token),
    })),
    ...webhookRows("DELETE /webhooks/{id}", 204, (id, actor) => ({ state: reading(`/webhooks/${id}`, actor.token) })),
    ...webhookRows("GET /webhooks/{id}/deliveries", 200, () => ({})),
    ...webhookRows("POST /webhooks/{id}/ping", 202, () => ({})),
  ];

  /** A time-tracker CSV of one row in a fresh slot (this service's own export format). */
  const csvOf = (times: { start_time: string; end_time: string }, extra = "") =>
    `id,username,category,start_time,end_time,duration_seconds,note${extra ? ",project,client" : ""}\n` +
    `,,${category},${times.start_time},${times.end_time},,${extra ? `,${extra}` : ""}\n`;
  const CSV = { "content-type": "text/csv" };

  const batchesAndImports: Row[] = [
    {
      op: "POST /entries/batch",
      what: "of its own entries",
      outcomes: everyone(200),
      call: async (actor) => ({
        url: "/entries/batch",
        body: { entries: [{ category, ...slot() }] },
        state: reading(entriesOf(actor.username), actor.token),
        verify: (res) => expect(res.json<{ results: { status: number }[] }>().results.map((r) => r.status)).toEqual([201]),
      }),
    },
    {
      op: "POST /entries/batch",
      what: "naming a team-A member as an item's user (the item is 403)",
      outcomes: everyone(200),
      call: async () => ({
        url: "/entries/batch",
        body: { entries: [{ username: subject.username, category, ...slot() }] },
        state: reading(entriesOf(subject.username), subject.token),
        changesNothing: true,
        verify: (res) => expect(res.json<{ results: { status: number }[] }>().results.map((r) => r.status)).toEqual([403]),
      }),
    },
    {
      op: "POST /imports",
      what: "of its own entries",
      outcomes: everyone(200),
      call: async (actor) => ({
        url: "/imports",
        body: csvOf(slot()),
        headers: CSV,
        state: reading(entriesOf(actor.username), actor.token),
        verify: (res) => expect(res.json()).toMatchObject({ created: 1, failed: 0 }),
      }),
    },
    {
      op: "POST /imports",
      what: "naming a project that does not exist (admins create it; others get a warning)",
      outcomes: everyone(200),
      call: async (_actor, who) => ({
        url: "/imports",
        body: csvOf(slot(), `${uniqueName("ImportedProject")},`),
        headers: CSV,
        state: readingAsOwner("/projects"),
        changesNothing: !isAdmin(who),
        verify: (res) =>
          expect(res.json<{ warnings: unknown[]; created: number }>()).toMatchObject({
            created: 1,
            warnings: isAdmin(who) ? [] : [expect.anything()],
          }),
      }),
    },
  ];

  const ROWS: readonly Row[] = [
    ...integrations,
    ...usersAndSessions,
    ...invitationsAndSettings,
    ...teams,
    ...catalogRows("/clients", "client"),
    ...catalogRows("/projects", "project"),
    ...entries,
    ...reports,
    ...apiTokens,
    ...seedApp,
    ...account,
    ...batchesAndImports,
  ];

  beforeAll(async () => {
    receiver = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    t = await testApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
    const owner = await t.owner();
    const [admin, member, leadA, leadB, theSubject] = await Promise.all([1, 2, 3, 4, 5].map(() => t.signUp()));
    users = { owner, admin: admin!, member: member!, leadA: leadA!, leadB: leadB! };
    subject = theSubject!;
    ok(await t.request("PATCH", `/users/${users.admin.username}`, { token: owner.token, body: { role: "admin" } }));
    teamA = await freshTeam();
    teamB = ok<{ team: { id: number } }>(await asAdmin("POST", "/teams", { name: uniqueName("B") }), 201).team.id;
    await join(teamB, users.leadB.username, true);
    ({ name: category, id: categoryId } = await makeCategory(t, owner.token));
    reported = await logEntry(subject, { start_time: "2022-06-01T09:00:00Z", end_time: "2022-06-01T10:00:00Z" });
    // Timers start some hours ago, two minutes apart: well inside the 24 hours a timer may reach back.
    timerBase = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 3_600_000;
  });
  afterAll(async () => {
    await t.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const cases = ROWS.flatMap((row) => ACTORS.map((who) => ({ row, who })));
  for (const { row, who } of cases) {
    const title = `${row.op} ${row.what}: ${WHO[who]} → ${shown(row.outcomes[who])}`.replace(" :", ":");
    it(title, () => runCase(row, who));
  }

  async function runCase(row: Row, who: Actor) {
    const [method, template] = row.op.split(" ") as [string, string];
    const outcome = row.outcomes[who];
    const actor = users[who];
    const call = await row.call(actor, who);
    const { url } = call;
    expect(url.split("?")[0]).toMatch(templatePattern(template));
    const before = await call.state?.();
    try {
      const res = await t.request(method, url, { token: call.token ?? actor.token, body: call.body, headers: call.headers });
      if (typeof outcome === "number") {
        expect(res.statusCode, res.body).toBe(outcome);
        call.verify?.(res);
      } else {
        expectProblem(res, outcome.status, outcome.code);
      }
      if (call.state) {
        const after = await call.state();
        if (typeof outcome !== "number" || call.changesNothing) expect(after, "the state after the request").toEqual(before);
        else expect(after, "an allowed write left the state as it was").not.toEqual(before);
      }
    } finally {
      await call.cleanup?.();
    }
  }

  it("answers what a caller may not see exactly as it answers what does not exist, but for the id", async () => {
    const hidden: [Actor, string, (id: number) => string, () => number, object?][] = [
      ["leadB", "GET", (id) => `/entry/${id}`, () => reported.id],
      ["member", "GET", (id) => `/entry/${id}`, () => reported.id],
      ["admin", "PATCH", (id) => `/entry/${id}`, () => reported.id, { note: "not yours" }],
      ["leadA", "DELETE", (id) => `/entry/${id}`, () => reported.id],
      ["owner", "POST", (id) => `/entry/${id}/stop`, () => reported.id, {}],
      ["leadB", "GET", (id) => `/teams/${id}`, () => teamA],
      ["leadB", "GET", (id) => `${REPORT_DAY}&team_id=${id}`, () => teamA],
    ];
    const answer = async (who: Actor, method: string, url: string, id: number, body?: object) => {
      const res = await t.request(method, url, { token: users[who].token, body });
      expect(res.statusCode, res.body).toBe(404);
      const problem = res.json<{ detail?: string }>();
      return { ...problem, detail: problem.detail?.replace(new RegExp(`\\b${id}\\b`, "g"), "{id}") };
    };
    for (const [who, method, url, existing, body] of hidden) {
      const seen = await answer(who, method, url(existing()), existing(), body);
      expect(seen, `${method} ${url(existing())} as ${WHO[who]}`).toEqual(await answer(who, method, url(MISSING), MISSING, body));
    }
  });

  it("answers 401 UNAUTHENTICATED to every one of these routes without a token", async () => {
    for (const op of new Set(ROWS.map((row) => row.op))) {
      const [method, template] = op.split(" ") as [string, string];
      const url = template.replace("{id}", "1").replace("{username}", users.member.username);
      const res = await t.request(method, url, method === "GET" || method === "DELETE" ? {} : { body: {} });
      expect(res.statusCode, op).toBe(401);
      expectProblem(res, 401, "UNAUTHENTICATED");
    }
  });

  it("has a row for every operation of /openapi.json that needs a token (guard: a new route needs its row)", async () => {
    const doc = ok<{
      security?: unknown[];
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>(await t.request("GET", "/openapi.json"));
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => ({ op: `${method.toUpperCase()} ${path}`, security: operation.security ?? doc.security ?? [] })),
    );
    const guarded = operations.filter(({ op }) => !PUBLIC.includes(op));
    expect([...new Set(ROWS.map((row) => row.op))].sort()).toEqual(guarded.map(({ op }) => op).sort());
    // What needs a token says so in the document, and what is public says it needs none.
    for (const { op, security } of operations) {
      expect(security, op).toEqual(PUBLIC.includes(op) ? [] : [{ bearer: [] }]);
    }
  });
});
