import { Forbidden } from "./errors.js";
import type { Role, User } from "./user.js";

/**
 * Who may do what: the one place the use cases ask. "Admin" means an owner or an admin. Routes
 * never compare roles themselves.
 */
export function isAdmin(role: Role): boolean {
  return role === "owner" || role === "admin";
}

/** The changes PATCH /users/{username} can make. */
export interface UserChange {
  readonly role?: Role | undefined;
  readonly active?: boolean | undefined;
  readonly hourlyRateCents?: number | null | undefined;
}

/**
 * Throws FORBIDDEN unless `actor` may make `change` to `target`: a role is changed by an owner
 * only; `active` and the rate by an admin, except that an owner's `active` is an owner's to
 * change. (Whether the change would leave no active owner is the use case's check, under a lock.)
 */
export function checkUserChange(actor: User, target: User, change: UserChange): void {
  if (change.role !== undefined && actor.role !== "owner") {
    throw new Forbidden("Only an owner can change a user's role");
  }
  if ((change.active !== undefined || change.hourlyRateCents !== undefined) && !isAdmin(actor.role)) {
    throw new Forbidden("Only an admin can change whether a user is active and their rate");
  }
  if (change.active !== undefined && target.role === "owner" && actor.role !== "owner") {
    throw new Forbidden("Only an owner can deactivate or reactivate an owner");
  }
}

/** Rates are business data: admins see everyone's, nobody else sees any. */
export function maySeeRates(actor: User): boolean {
  return isAdmin(actor.role);
}

/** Invitations are made, listed and withdrawn by admins. */
export function checkManagesInvitations(actor: User): void {
  if (!isAdmin(actor.role)) throw new Forbidden("Only an admin can manage invitations");
}

/** An invitation gives `member` or `admin`; only an owner makes owners (with PATCH /users). */
export const INVITABLE_ROLES = ["member", "admin"] as const;

/** Whether a change leaves `target` an active owner no longer. */
export function endsOwnership(target: User, change: UserChange): boolean {
  if (target.role !== "owner" || !target.active) return false;
  return (change.role !== undefined && change.role !== "owner") || change.active === false;
}

/** Teams are made, renamed, deleted and staffed by admins. */
export function checkManagesTeams(actor: User): void {
  if (!isAdmin(actor.role)) throw new Forbidden("Only an admin can manage teams");
}

/** Clients and projects are shared by the whole instance: everyone reads them, admins write them. */
export function checkManagesCatalog(actor: User): void {
  if (!isAdmin(actor.role)) throw new Forbidden("Only an admin can create or change clients and projects");
}

/** An admin sees every team; anyone else the teams they belong to. */
export function maySeeTeam(actor: User, memberIds: readonly number[]): boolean {
  return isAdmin(actor.role) || memberIds.includes(actor.id);
}

/**
 * Whose time a user may see: their own; every member's of a team they lead; everyone's for an
 * admin. `leads` says whether the actor leads a team the owner belongs to (the store answers it).
 */
export function maySeeTimeOf(actor: Pick<User, "id" | "role">, ownerId: number, leads: boolean): boolean {
  return actor.id === ownerId || isAdmin(actor.role) || leads;
}

/** The instance's settings (the locked period) are changed by admins; everyone reads them. */
export function checkManagesSettings(actor: User): void {
  if (!isAdmin(actor.role)) throw new Forbidden("Only an admin can change the instance's settings");
}
