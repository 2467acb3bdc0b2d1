import { parseInstant, truncateToSecond } from "../domain/instant.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  type EntryId,
  type TimeEntry,
} from "../domain/time-entry.js";
import { loadOwnEntry, resolveCategory, type Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface UpdateTimeEntryInput {
  readonly actor: Actor;
  readonly entryId: EntryId;
  readonly category?: string | undefined;
  readonly startTime?: string | undefined;
  readonly endTime?: string | undefined;
  /** null clears the note. */
  readonly note?: string | null | undefined;
}

export class UpdateTimeEntry {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
  ) {}

  /** Applies the given fields and re-checks every rule against the user's other entries. */
  async execute(input: UpdateTimeEntryInput): Promise<TimeEntry> {
    const start = input.startTime === undefined ? null : parseInstant(input.startTime, "start_time");
    const end = input.endTime === undefined ? null : parseInstant(input.endTime, "end_time");
    const note = input.note === undefined ? undefined : checkNote(input.note);
    const category =
      input.category === undefined ? null : await resolveCategory(this.categories, input.category);

    return this.transactor.run(userScope(input.actor.id), async ({ entries }) => {
      const entry = await loadOwnEntry(entries, input.actor, input.entryId);
      const next = {
        categoryId: category ? category.id : entry.categoryId,
        start: start ?? entry.start,
        end: end ?? entry.end,
        note: note === undefined ? entry.note : note,
      };
      if (next.end === null) checkTimerStart(next.start, truncateToSecond(this.clock.now()));
      else checkClosedRange(next.start, next.end);
      assertNoOverlap(next, await entries.findOverlapping(entry.userId, next, entry.id));
      const updated = await entries.update(entry.id, next);
      return updated ?? loadOwnEntry(entries, input.actor, input.entryId);
    });
  }
}
