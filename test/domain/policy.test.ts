import { describe, expect, it } from "vitest";
import { Forbidden } from "../../src/domain/errors.js";
import {
  checkManagesCatalog,
  checkManagesInvitations,
  checkUserChange,
  endsOwnership,
  isAdmin,
  maySeeRates,
} from "../../src/domain/policy.js";
import { checkRateCents, parseRole, type Role, type User } from "../../src/domain/user.js";

const user = (role: Role, active = true): User => ({
  id: 1,
  username: role,
  passwordHash: "x",
  createdAt: new Date(0),
  role,
  active,
  hourlyRateCents: null,
});

describe("policy", () => {
  it("counts owners and admins as admins", () => {
    expect([isAdmin("owner"), isAdmin("admin"), isAdmin("member")]).toEqual([true, true, false]);
    expect([maySeeRates(user("owner")), maySeeRates(user("admin")), maySeeRates(user("member"))]).toEqual([true, true, false]);
  });

  it("lets only owners change roles, admins activity and rates, and only owners an owner's activity", () => {
    const allowed = (actor: Role, target: Role, change: Parameters<typeof checkUserChange>[2]) => {
      try {
        checkUserChange(user(actor), user(target), change);
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(Forbidden);
        return false;
      }
    };
    expect(allowed("owner", "member", { role: "admin" })).toBe(true);
    expect(allowed("admin", "member", { role: "admin" })).toBe(false);
    expect(allowed("admin", "member", { active: false, hourlyRateCents: 100 })).toBe(true);
    expect(allowed("admin", "owner", { hourlyRateCents: 100 })).toBe(true);
    expect(allowed("admin", "owner", { active: false })).toBe(false);
    expect(allowed("owner", "owner", { active: false })).toBe(true);
    expect(allowed("member", "member", { hourlyRateCents: 1 })).toBe(false);
    expect(allowed("member", "member", {})).toBe(true);
  });

  it("says when a change ends an active owner's ownership", () => {
    expect(endsOwnership(user("owner"), { role: "admin" })).toBe(true);
    expect(endsOwnership(user("owner"), { active: false })).toBe(true);
    expect(endsOwnership(user("owner"), { role: "owner", active: true, hourlyRateCents: 5 })).toBe(false);
    expect(endsOwnership(user("owner", false), { role: "member" })).toBe(false);
    expect(endsOwnership(user("admin"), { active: false })).toBe(false);
  });

  it("keeps invitations to admins", () => {
    expect(() => checkManagesInvitations(user("member"))).toThrow(Forbidden);
    expect(() => checkManagesInvitations(user("admin"))).not.toThrow();
  });

  it("keeps writing clients and projects to owners and admins", () => {
    for (const [role, allowed] of [["owner", true], ["admin", true], ["member", false]] as const) {
      if (allowed) expect(() => checkManagesCatalog(user(role)), role).not.toThrow();
      else expect(() => checkManagesCatalog(user(role)), role).toThrow(Forbidden);
    }
  });

  it("checks roles and rates", () => {
    expect(parseRole("admin")).toBe("admin");
    expect(() => parseRole("Admin")).toThrow(/role must be one of owner, admin, member/);
    expect(checkRateCents(0)).toBe(0);
    expect(checkRateCents(null)).toBeNull();
    for (const bad of [-1, 1.5, Number.NaN, 10_000_001]) expect(() => checkRateCents(bad)).toThrow(/hourly_rate_cents/);
  });
});
