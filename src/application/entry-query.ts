import { Forbidden, UserNotFound, ValidationFailed } from "../domain/errors.js";
import { parseInstant } from "../domain/instant.js";
import { parseCategoryName } from "../domain/category.js";
import type { Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
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
  /** Whose entries: always the caller, once the checks pass. */
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
  if (owner.id !== input.actor.id) throw new Forbidden("You may only list your own entries");

  if (input.category === undefined) return { owner, filter: { from, to, categoryId: null } };
  const category = await categories.findByName(parseCategoryName(input.category, "category"));
  return { owner, filter: category ? { from, to, categoryId: category.id } : null };
}
