import { Forbidden, UserNotFound, ValidationFailed } from "../domain/errors.js";
import { parseInstant } from "../domain/instant.js";
import { parseCategoryName } from "../domain/category.js";
import { parseName } from "../domain/names.js";
import { TAG_NAME_MAX } from "../domain/tag.js";
import { maySeeTimeOfUser, type Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { EntryFilter } from "./ports/time-entry-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

/** The filters lists, exports and reports share, as a request gives them. */
export interface EntryFilterInput {
  /** A category's name. */
  readonly category?: string | undefined;
  readonly projectId?: number | undefined;
  /** Entries on a project of this client. */
  readonly clientId?: number | undefined;
  /** A tag's name: entries having it. */
  readonly tag?: string | undefined;
  readonly billable?: boolean | undefined;
}

export interface EntryQueryInput extends EntryFilterInput {
  readonly actor: Actor;
  readonly username: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface ResolvedEntryQuery {
  /** Whose entries: the caller's own, or someone's the caller may see (a lead's member, anyone for an admin). */
  readonly owner: Actor;
  /** null when the filter can match nothing (a category that does not exist). */
  readonly filter: EntryFilter | null;
}

export type FilterFields = Omit<EntryFilter, "from" | "to">;

/**
 * The store's filter for the given fields, or null when it can match nothing: a category or tag
 * that does not exist (an unknown project or client id simply matches no entry).
 */
export async function resolveFilter(
  categories: CategoryRepository,
  tags: TagRepository,
  input: EntryFilterInput,
): Promise<FilterFields | null> {
  const category =
    input.category === undefined ? undefined : await categories.findByName(parseCategoryName(input.category, "category"));
  const tag = input.tag === undefined ? undefined : await tags.findByName(parseName(input.tag, "tag", TAG_NAME_MAX));
  if (category === null || tag === null) return null;
  return {
    categoryId: category?.id ?? null,
    projectId: input.projectId ?? null,
    clientId: input.clientId ?? null,
    tagId: tag?.id ?? null,
    billable: input.billable ?? null,
  };
}

/**
 * Resolves the owner named in the path (USER_NOT_FOUND, then FORBIDDEN for someone else's) and
 * turns the textual filter into a store filter.
 */
export async function resolveEntryQuery(
  users: UserRepository,
  categories: CategoryRepository,
  teams: TeamRepository,
  tags: TagRepository,
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
  const fields = await resolveFilter(categories, tags, input);
  return { owner, filter: fields === null ? null : { from, to, ...fields } };
}
