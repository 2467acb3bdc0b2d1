import { parseCategoryName, type Category } from "../domain/category.js";
import { CategoryNotFound, EntryNotFound } from "../domain/errors.js";
import type { EntryId, TimeEntry } from "../domain/time-entry.js";
import type { Role, UserId } from "../domain/user.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";

/** Who is asking: the authenticated user. */
export interface Actor {
  readonly id: UserId;
  readonly username: string;
  readonly role: Role;
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
