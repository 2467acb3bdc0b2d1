import type { TimeEntry } from "../domain/time-entry.js";
import type { Actor } from "./entry-support.js";
import { resolveEntryQuery, type EntryQueryInput } from "./entry-query.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface EntryExport {
  readonly owner: Actor;
  /** Every matching entry, oldest first, read from the store as it is consumed. */
  readonly entries: AsyncIterable<TimeEntry>;
}

async function* nothing(): AsyncIterable<TimeEntry> {}

export class ExportEntries {
  constructor(
    private readonly users: UserRepository,
    private readonly categories: CategoryRepository,
    private readonly entries: TimeEntryRepository,
    private readonly teams: TeamRepository,
    private readonly tags: TagRepository,
  ) {}

  async execute(input: EntryQueryInput): Promise<EntryExport> {
    const { owner, filter } = await resolveEntryQuery(this.users, this.categories, this.teams, this.tags, input);
    return { owner, entries: filter ? this.entries.streamByUser(owner.id, filter) : nothing() };
  }
}
