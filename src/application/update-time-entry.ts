import { parseInstant, truncateToSecond } from "../domain/instant.js";
import type { Project, ProjectId } from "../domain/project.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  checkUnlocked,
  defaultBillable,
  rateFor,
  type Booking,
  type EntryId,
  type TimeEntry,
} from "../domain/time-entry.js";
import type { TagDirectory } from "./tag-directory.js";
import { chosenProject, chosenTags, lockBinding, lookUpTags, tagIdsFor, type Booker } from "./entry-booking.js";
import { loadOwnEntry, resolveCategory } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface UpdateTimeEntryInput {
  readonly actor: Booker;
  readonly entryId: EntryId;
  readonly category?: string | undefined;
  readonly startTime?: string | undefined;
  readonly endTime?: string | undefined;
  /** null clears the note. */
  readonly note?: string | null | undefined;
  /** null clears the project. */
  readonly projectId?: ProjectId | null | undefined;
  /** Replaces the entry's tags. */
  readonly tags?: readonly string[] | undefined;
  readonly billable?: boolean | undefined;
}

/**
 * The entry's booking after a change. Choosing another project (or none) fixes the rate anew
 * by the rate chain and, unless `billable` is given, takes the project's default; naming the
 * project it has changes nothing, even when that project is archived since.
 */
function nextBooking(entry: TimeEntry, actor: Booker, project: Project | null | undefined, billable: boolean | undefined): Booking {
  const projectId = project === undefined ? entry.projectId : (project?.id ?? null);
  if (projectId === entry.projectId) {
    return { projectId, billable: billable ?? entry.billable, hourlyRateCents: entry.hourlyRateCents };
  }
  const chosen = project ?? null;
  return { projectId, billable: billable ?? defaultBillable(chosen), hourlyRateCents: rateFor(chosen, actor.hourlyRateCents) };
}

export class UpdateTimeEntry {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly settings: SettingsRepository,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
    /** Tags known in this process; without it, every tag is looked up inside the unit of work. */
    private readonly tags?: TagDirectory,
  ) {}

  /** Applies the given fields and re-checks every rule against the user's other entries. */
  async execute(input: UpdateTimeEntryInput): Promise<TimeEntry> {
    const { actor } = input;
    const start = input.startTime === undefined ? null : parseInstant(input.startTime, "start_time");
    const end = input.endTime === undefined ? null : parseInstant(input.endTime, "end_time");
    const note = input.note === undefined ? undefined : checkNote(input.note);
    const tagNames = chosenTags(input.tags);
    const category =
      input.category === undefined ? null : await resolveCategory(this.categories, input.category);
    const lockBefore = await lockBinding(this.settings, actor);
    const tagLookup = tagNames === undefined ? undefined : await lookUpTags(this.tags, tagNames);

    return this.transactor.run(userScope(actor.id), async ({ entries, tags, projects }) => {
      const entry = await loadOwnEntry(entries, actor, input.entryId);
      // Naming the entry's own project again is no choice of it (it may be archived since).
      const project =
        input.projectId === entry.projectId ? undefined : await chosenProject(projects, input.projectId);
      const next = {
        categoryId: category ? category.id : entry.categoryId,
        start: start ?? entry.start,
        end: end ?? entry.end,
        note: note === undefined ? entry.note : note,
        ...nextBooking(entry, actor, project, input.billable),
      };
      checkUnlocked(actor.role, lockBefore, [entry.start, next.start]);
      if (next.end === null) checkTimerStart(next.start, truncateToSecond(this.clock.now()));
      else checkClosedRange(next.start, next.end);
      assertNoOverlap(next, await entries.findOverlapping(entry.userId, next, entry.id));
      const tagIds = tagLookup === undefined ? undefined : await tagIdsFor(tags, tagLookup);
      const updated = await entries.update(entry.id, tagIds === undefined ? next : { ...next, tagIds });
      return updated ?? loadOwnEntry(entries, actor, input.entryId);
    });
  }
}
