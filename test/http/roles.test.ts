import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../support/fakes.js";
import { PASSWORD, testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, logEntry, makeCategory, allEntries } from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

type Role = "owner" | "admin" | "member";

interface UserBody {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  hourly_rate_cents?: number | null;
}

/** A user of the given role, made by the app's owner; signed in. */
async function aUser(t: TestApp, role: Role): Promise<SignedIn> {
  const user = await t.signUp();
  if (role !== "member") {
    const owner = await t.owner();
    const res = await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { role } });
    expect(res.statusCode, res.body).toBe(200);
  }
  return user;
}

const register = (t: TestApp, body: Record<string, unknown>) => t.request("POST", "/register", { body });

describe("roles: the first account, /me and /users", () => {
  it("makes the first account of an empty instance its owner, and every later one a member", async () => {
    const t = await testApp({ empty: true });
    try {
      const first = await t.signUp();
      const second = await t.signUp();
      expect((await t.request("GET", "/me", { token: first.token })).json()).toMatchObject({ role: "owner" });
      expect((await t.request("GET", "/me", { token: second.token })).json()).toMatchObject({ role: "member" });
    } finally {
      await t.close();
    }
  });

  it("of ten concurrent first registrations, exactly one becomes the owner (race)", async () => {
    const t = await testApp({ empty: true });
    try {
      const names = Array.from({ length: 10 }, () => uniqueName("first"));
      const answers = await Promise.all(names.map((username) => register(t, { username, password: PASSWORD })));
      expect(answers.map((res) => res.statusCode)).toEqual(names.map(() => 201));
      const owner = await t.logIn(names[0] as string);
      const users = (await t.request("GET", "/users?limit=100", { token: owner.token })).json<{ users: UserBody[] }>().users;
      expect(users.filter((user) => user.role === "owner")).toHaveLength(1);
      expect(users.filter((user) => user.role === "member")).toHaveLength(9);
    } finally {
      await t.close();
    }
  });
});

describe("roles: PATCH /users/{username}", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("shows rates to admins only", async () => {
    const member = await aUser(t, "member");
    const admin = await aUser(t, "admin");
    const owner = await t.owner();
    expect((await t.request("PATCH", `/users/${member.username}`, { token: admin.token, body: { hourly_rate_cents: 12_345 } })).statusCode).toBe(200);
    for (const viewer of [admin, owner]) {
      const users = (await t.request("GET", "/users?limit=1000", { token: viewer.token })).json<{ users: UserBody[] }>().users;
      expect(users.find((user) => user.id === member.userId)).toEqual({
        id: member.userId,
        username: member.username,
        role: "member",
        active: true,
        hourly_rate_cents: 12_345,
      });
    }
    const asMember = (await t.request("GET", "/users?limit=1000", { token: member.token })).json<{ users: UserBody[] }>().users;
    expect(asMember.every((user) => !("hourly_rate_cents" in user))).toBe(true);
  });

  // Who may change what of whom: every actor role against every target role and every field.
  const CHANGES = [
    ["role", { role: "admin" }],
    ["active", { active: false }],
    ["rate", { hourly_rate_cents: 5000 }],
  ] as const;
  const ALLOWED: Record<Role, Record<Role, readonly string[]>> = {
    owner: { owner: ["role", "active", "rate"], admin: ["role", "active", "rate"], member: ["role", "active", "rate"] },
    admin: { owner: ["rate"], admin: ["active", "rate"], member: ["active", "rate"] },
    member: { owner: [], admin: [], member: [] },
  };
  const cases = (["owner", "admin", "member"] as const).flatMap((actor) =>
    (["owner", "admin", "member"] as const).flatMap((target) =>
      CHANGES.map(([field, body]) => [actor, target, field, body, ALLOWED[actor][target].includes(field)] as const),
    ),
  );

  it.each(cases)("%s changing a %s's %s: allowed %s", async (actorRole, targetRole, _field, body, allowed) => {
    const actor = actorRole === "owner" ? await t.owner() : await aUser(t, actorRole);
    // A second owner, so that no change here is refused for leaving the instance without one.
    const target = await aUser(t, targetRole);
    const res = await t.request("PATCH", `/users/${target.username}`, { token: actor.token, body });
    if (allowed) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ user: UserBody }>().user).toMatchObject({ username: target.username, ...("active" in body ? { active: false } : {}) });
    } else {
      expectProblem(res, 403, "FORBIDDEN");
    }
  });

  it("refuses the last active owner losing the role or being deactivated (409 LAST_OWNER)", async () => {
    const t2 = await testApp();
    try {
      const owner = await t2.owner();
      expectProblem(await t2.request("PATCH", `/users/${owner.username}`, { token: owner.token, body: { role: "admin" } }), 409, "LAST_OWNER");
      expectProblem(await t2.request("PATCH", `/users/${owner.username}`, { token: owner.token, body: { active: false } }), 409, "LAST_OWNER");
      // Another owner, and then the first may step down.
      const second = await aUser(t2, "owner");
      expect((await t2.request("PATCH", `/users/${owner.username}`, { token: owner.token, body: { role: "member" } })).statusCode).toBe(200);
      expectProblem(await t2.request("PATCH", `/users/${second.username}`, { token: second.token, body: { active: false } }), 409, "LAST_OWNER");
    } finally {
      await t2.close();
    }
  });

  it("of two owners demoting each other at once, exactly one succeeds (race)", async () => {
    for (let round = 0; round < 3; round++) {
      const t2 = await testApp();
      try {
        const a = await t2.owner();
        const b = await aUser(t2, "owner");
        const [ab, ba] = await Promise.all([
          t2.request("PATCH", `/users/${b.username}`, { token: a.token, body: { role: "member" } }),
          t2.request("PATCH", `/users/${a.username}`, { token: b.token, body: { active: false } }),
        ]);
        expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 409]);
        const owners = (await t2.request("GET", "/users?limit=100", { token: ab.statusCode === 200 ? a.token : b.token }))
          .json<{ users: UserBody[] }>()
          .users.filter((user) => user.role === "owner" && user.active);
        expect(owners).toHaveLength(1);
      } finally {
        await t2.close();
      }
    }
  });

  it("locks a deactivated user out at once, keeps their entries, and lets them back in when reactivated", async () => {
    const owner = await t.owner();
    const user = await t.signUp();
    const category = await makeCategory(t, user.token);
    await logEntry(t, user.token, { category: category.name, start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:00:00" });
    expect((await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { active: false } })).statusCode).toBe(200);
    expectProblem(await t.request("GET", "/me", { token: user.token }), 401, "UNAUTHENTICATED");
    const login = await t.request("POST", "/login", { body: { username: user.username, password: PASSWORD } });
    expectProblem(login, 401, "INVALID_CREDENTIALS");
    const wrong = await t.request("POST", "/login", { body: { username: user.username, password: "wrong-password" } });
    expect(login.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);

    expect((await t.request("PATCH", `/users/${user.username}`, { token: owner.token, body: { active: true } })).statusCode).toBe(200);
    const back = await t.logIn(user.username);
    expect(await allEntries(t, back.token, user.username)).toHaveLength(1);
  });

  it("answers 404 USER_NOT_FOUND for an unknown user and 400 for a bad body, changing nothing", async () => {
    const owner = await t.owner();
    const member = await t.signUp();
    expectProblem(await t.request("PATCH", `/users/${uniqueName("nobody")}`, { token: owner.token, body: { active: false } }), 404, "USER_NOT_FOUND");
    const path = `/users/${member.username}`;
    for (const [body, pointer] of [
      [{}, "/"],
      [{ role: "king" }, "/role"],
      [{ active: "no" }, "/active"],
      [{ hourly_rate_cents: -1 }, "/hourly_rate_cents"],
      [{ hourly_rate_cents: 1.5 }, "/hourly_rate_cents"],
      [{ hourly_rate_cents: 10_000_001 }, "/hourly_rate_cents"],
      [{ hourly_rate_cents: "100" }, "/hourly_rate_cents"],
      [{ role: "admin", extra: 1 }, "/extra"],
    ] as const) {
      expectValidationError(await t.request("PATCH", path, { token: owner.token, body }), pointer);
    }
    const users = (await t.request("GET", "/users?limit=1000", { token: owner.token })).json<{ users: UserBody[] }>().users;
    expect(users.find((user) => user.id === member.userId)).toMatchObject({ role: "member", active: true, hourly_rate_cents: null });
    expectProblem(await t.request("PATCH", path, { body: { active: false } }), 401, "UNAUTHENTICATED");
  });

  it("takes a rate of 0 as a rate, and null as none", async () => {
    const owner = await t.owner();
    const member = await t.signUp();
    const zero = await t.request("PATCH", `/users/${member.username}`, { token: owner.token, body: { hourly_rate_cents: 0 } });
    expect(zero.json<{ user: UserBody }>().user.hourly_rate_cents).toBe(0);
    const none = await t.request("PATCH", `/users/${member.username}`, { token: owner.token, body: { hourly_rate_cents: null } });
    expect(none.json<{ user: UserBody }>().user.hourly_rate_cents).toBeNull();
  });
});

describe("registration policy and invitations", () => {
  const invite = async (t: TestApp, token: string, body: Record<string, unknown> = {}) => {
    const res = await t.request("POST", "/invitations", { token, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ invitation: { id: number; code: string; role: Role; expires_at: string } }>().invitation;
  };

  it("open: registers without a code; a code given must be valid and gives its role", async () => {
    const t = await testApp();
    try {
      const owner = await t.owner();
      expect((await register(t, { username: uniqueName("open"), password: PASSWORD })).statusCode).toBe(201);
      expectProblem(await register(t, { username: uniqueName("open"), password: PASSWORD, invite_code: "not-a-code" }), 403, "INVITE_INVALID");
      const invitation = await invite(t, owner.token, { role: "admin" });
      const username = uniqueName("invited");
      expect((await register(t, { username, password: PASSWORD, invite_code: invitation.code })).statusCode).toBe(201);
      const me = await t.logIn(username);
      expect((await t.request("GET", "/me", { token: me.token })).json()).toMatchObject({ role: "admin" });
      // A code works once.
      expectProblem(await register(t, { username: uniqueName("again"), password: PASSWORD, invite_code: invitation.code }), 403, "INVITE_INVALID");
    } finally {
      await t.close();
    }
  });

  it("invite: needs a valid, unused, unexpired code; of two registrations with one code one wins (race)", async () => {
    const clock = new FixedClock(new Date("2026-02-10T08:00:00Z"));
    const t = await testApp({ env: { REGISTRATION: "invite" }, overrides: { clock } });
    try {
      const owner = await t.owner();
      expectProblem(await register(t, { username: uniqueName("no"), password: PASSWORD }), 403, "INVITE_REQUIRED");
      expectProblem(await register(t, { username: uniqueName("no"), password: PASSWORD, invite_code: "x".repeat(43) }), 403, "INVITE_INVALID");

      const shared = await invite(t, owner.token);
      const racers = await Promise.all(
        Array.from({ length: 6 }, () => register(t, { username: uniqueName("racer"), password: PASSWORD, invite_code: shared.code })),
      );
      expect(racers.filter((res) => res.statusCode === 201)).toHaveLength(1);
      for (const res of racers.filter((r) => r.statusCode !== 201)) expectProblem(res, 403, "INVITE_INVALID");

      const expiring = await invite(t, owner.token, { expires_in_hours: 1 });
      clock.advanceSeconds(3600);
      expectProblem(await register(t, { username: uniqueName("late"), password: PASSWORD, invite_code: expiring.code }), 403, "INVITE_INVALID");
    } finally {
      await t.close();
    }
  });

  it("closed: nobody registers, with or without a code; in every mode the first account needs none", async () => {
    for (const mode of ["closed", "invite"]) {
      const t = await testApp({ empty: true, env: { REGISTRATION: mode } });
      try {
        const first = await t.signUp();
        expect((await t.request("GET", "/me", { token: first.token })).json()).toMatchObject({ role: "owner" });
        const code = (await invite(t, first.token)).code;
        const res = await register(t, { username: uniqueName("later"), password: PASSWORD, invite_code: code });
        if (mode === "closed") {
          expectProblem(res, 403, "REGISTRATION_CLOSED");
          expectProblem(await register(t, { username: uniqueName("later"), password: PASSWORD }), 403, "REGISTRATION_CLOSED");
        } else {
          expect(res.statusCode).toBe(201);
        }
      } finally {
        await t.close();
      }
    }
  });

  it("lets admins make, list and withdraw invitations; the code is shown once and has at least 128 random bits", async () => {
    const t = await testApp();
    try {
      const owner = await t.owner();
      const admin = await aUser(t, "admin");
      const made = await invite(t, admin.token, { role: "member", expires_in_hours: 720 });
      expect(Buffer.from(made.code, "base64url").length).toBeGreaterThanOrEqual(16);
      expect(made).toMatchObject({ role: "member" });
      const listed = (await t.request("GET", "/invitations", { token: owner.token })).json<{ invitations: Record<string, unknown>[] }>();
      expect(listed.invitations.map((i) => i.id)).toContain(made.id);
      expect(listed.invitations.every((i) => !("code" in i))).toBe(true);
      expect(JSON.stringify(listed)).not.toContain(made.code);

      expect((await t.request("DELETE", `/invitations/${made.id}`, { token: admin.token })).statusCode).toBe(204);
      expectProblem(await t.request("DELETE", `/invitations/${made.id}`, { token: admin.token }), 404, "INVITATION_NOT_FOUND");
      expectProblem(await t.request("DELETE", "/invitations/abc", { token: admin.token }), 404, "INVITATION_NOT_FOUND");
      expectProblem(await register(t, { username: uniqueName("gone"), password: PASSWORD, invite_code: made.code }), 403, "INVITE_INVALID");
    } finally {
      await t.close();
    }
  });

  it("refuses members every invitation route (403) and bad bodies (400)", async () => {
    const t = await testApp();
    try {
      const owner = await t.owner();
      const member = await t.signUp();
      const made = await invite(t, owner.token);
      expectProblem(await t.request("POST", "/invitations", { token: member.token, body: {} }), 403, "FORBIDDEN");
      expectProblem(await t.request("GET", "/invitations", { token: member.token }), 403, "FORBIDDEN");
      expectProblem(await t.request("DELETE", `/invitations/${made.id}`, { token: member.token }), 403, "FORBIDDEN");
      for (const [body, pointer] of [
        [{ role: "owner" }, "/role"],
        [{ expires_in_hours: 0 }, "/expires_in_hours"],
        [{ expires_in_hours: 721 }, "/expires_in_hours"],
        [{ uses: 2 }, "/uses"],
      ] as const) {
        expectValidationError(await t.request("POST", "/invitations", { token: owner.token, body }), pointer);
      }
      // No body at all means the defaults: a member, for a week.
      const defaults = await t.request("POST", "/invitations", { token: owner.token });
      expect(defaults.statusCode, defaults.body).toBe(201);
      expect(defaults.json<{ invitation: { role: string } }>().invitation.role).toBe("member");
    } finally {
      await t.close();
    }
  });
});
