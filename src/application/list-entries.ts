import type { TimeEntry } from "../domain/time-entry.js";
import type { Actor } from "./entry-support.js";
import { resolveEntryQuery, type EntryQueryInput } from "./entry-query.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { EntryPosition, TimeEntryRepository } from "./ports/time-entry-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface ListEntriesInput extends EntryQueryInput {
  readonly after: EntryPosition | null;
  readonly limit: number;
}

export interface EntryPage {
  readonly owner: Actor;
  readonly entries: TimeEntry[];
  /** Where the next page starts, or null on the last page. */
  readonly next: EntryPosition | null;
}

export class ListEntries {
  constructor(
    private readonly users: UserRepository,
    private readonly categories: CategoryRepository,
    private readonly entries: TimeEntryRepository,
    private readonly teams: TeamRepository,
    private readonly tags: TagRepository,
  ) {}

  /** One page of the caller's entries, oldest first, keyset-paginated by (start, id). */
  async execute(input: ListEntriesInput): Promise<EntryPage> {
    const { owner, filter } = await resolveEntryQuery(this.users, this.categories, this.teams, this.tags, input);
    if (!filter) return { owner, entries: [], next: null };
    const rows = await this.entries.listByUser(owner.id, {
      ...filter,
      after: input.after,
      limit: input.limit + 1,
    });
    const entries = rows.slice(0, input.limit);
    const last = entries.at(-1);
    const next = rows.length > input.limit && last ? { start: last.start, id: last.id } : null;
    return { owner, entries, next };
  }
}
