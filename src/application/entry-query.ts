import { Forbidden, UserNotFound, ValidationFailed } from "../domain/errors.js";
import { parseInstant } from "../domain/instant.js";
import { parseCategoryName } from "../domain/category.js";
import { maySeeTimeOfUser, type Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { EntryFilter } from "./ports/time-entry-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface EntryQueryInput {
  readonly actor: Actor;
  readonly username: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly category?: string | undefined;
}

export interface ResolvedEntryQuery {
  /** Whose entries: the caller's own, or someone's the caller may see (a lead's member, anyone for an admin). */
  readonly owner: Actor;
  /** null when the filter can match nothing (a category that does not exist). */
  readonly filter: EntryFilter | null;
}

/**
 * Resolves the owner named in the path (USER_NOT_FOUND, then FORBIDDEN for someone else's) and
 * turns the textual filter into a store filter.
 */
export async function resolveEntryQuery(
  users: UserRepository,
  categories: CategoryRepository,
  teams: TeamRepository,
  input: EntryQueryInput,
): Promise<ResolvedEntryQuery> {
  const from = input.from === undefined ? null : parseInstant(input.from, "from");
  const to = input.to === undefined ? null : parseInstant(input.to, "to");
  if (from && to && to.getTime() <= from.getTime()) {
    throw new ValidationFailed("to", "must be after from");
  }
  // The caller's own name, exactly as stored, needs no lookup: names are unique.
  const owner = input.username === input.actor.username ? input.actor : await users.findByUsername(input.username);
  if (!owner) throw new UserNotFound(input.username);
  if (!(await maySeeTimeOfUser(teams, input.actor, owner.id))) {
    throw new Forbidden("You may list your own entries, and those of the members of teams you lead");
  }

  if (input.category === undefined) return { owner, filter: { from, to, categoryId: null } };
  const category = await categories.findByName(parseCategoryName(input.category, "category"));
  return { owner, filter: category ? { from, to, categoryId: category.id } : null };
}
