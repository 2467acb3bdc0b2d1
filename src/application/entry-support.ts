import { parseCategoryName, type Category } from "../domain/category.js";
import { CategoryNotFound, EntryNotFound } from "../domain/errors.js";
import type { EntryId, TimeEntry } from "../domain/time-entry.js";
import type { Role, UserId } from "../domain/user.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";
import type { TeamRepository } from "./ports/team-repository.js";
import { isAdmin, maySeeTimeOf } from "../domain/policy.js";

/** Who is asking: the authenticated user. */
export interface Actor {
  readonly id: UserId;
  readonly username: string;
  readonly role: Role;
}

/**
 * Whether the actor may see the time of the user `ownerId`: their own, a member's of a team they
 * lead, anyone's for an admin (the store is asked about leads only when that decides it).
 */
export async function maySeeTimeOfUser(teams: TeamRepository, actor: Actor, ownerId: UserId): Promise<boolean> {
  const leads = actor.id !== ownerId && !isAdmin(actor.role) && (await teams.leads(actor.id, ownerId));
  return maySeeTimeOf(actor, ownerId, leads);
}

/** The caller's own entry; another user's entry is ENTRY_NOT_FOUND so its existence is not revealed. */
export async function loadOwnEntry(
  entries: TimeEntryRepository,
  actor: Actor,
  id: EntryId,
): Promise<TimeEntry> {
  const entry = await entries.findById(id);
  if (!entry || entry.userId !== actor.id) throw new EntryNotFound(id);
  return entry;
}

/** The category named in a request body; CATEGORY_NOT_FOUND (404) as the seed answered. */
export async function resolveCategory(categories: CategoryRepository, raw: string): Promise<Category> {
  const name = parseCategoryName(raw, "category");
  const category = await categories.findByName(name);
  if (!category) throw new CategoryNotFound(name);
  return category;
}
