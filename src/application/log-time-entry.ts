import type { TimeEntry } from "../domain/time-entry.js";
import { bookPrepared, EntryPreparer, type Booker, type BookingLookups, type EntryRequest } from "./entry-booking.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import type { ProjectRepository } from "./ports/project-repository.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import type { TagDirectory } from "./tag-directory.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface LogTimeEntryInput extends EntryRequest {
  readonly actor: Booker;
}

export class LogTimeEntry {
  private readonly lookups: BookingLookups;

  constructor(
    categories: CategoryRepository,
    projects: ProjectRepository,
    settings: SettingsRepository,
    private readonly transactor: Transactor,
    clock: Clock,
    /** Tags known in this process; without it, every tag is looked up inside the unit of work. */
    tags?: TagDirectory,
  ) {
    this.lookups = { categories, projects, settings, clock, tags };
  }

  async execute(input: LogTimeEntryInput): Promise<TimeEntry> {
    const { actor } = input;
    const preparer = new EntryPreparer(this.lookups, actor);
    const entry = await preparer.prepare(input);
    return this.transactor.run(userScope(actor.id), (repos) => bookPrepared(repos, actor, entry));
  }
}
