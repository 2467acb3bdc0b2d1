import { TimerAlreadyRunning } from "../domain/errors.js";
import { parseInstant, truncateToSecond } from "../domain/instant.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  type TimeEntry,
} from "../domain/time-entry.js";
import { resolveCategory, type Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface LogTimeEntryInput {
  readonly actor: Actor;
  readonly category: string;
  readonly startTime: string;
  /** Absent: start a timer. */
  readonly endTime?: string | undefined;
  readonly note?: string | null | undefined;
}

export class LogTimeEntry {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
  ) {}

  async execute(input: LogTimeEntryInput): Promise<TimeEntry> {
    const { actor } = input;
    const start = parseInstant(input.startTime, "start_time");
    const end = input.endTime === undefined ? null : parseInstant(input.endTime, "end_time");
    if (end === null) checkTimerStart(start, truncateToSecond(this.clock.now()));
    else checkClosedRange(start, end);
    const note = checkNote(input.note ?? null);
    const category = await resolveCategory(this.categories, input.category);

    return this.transactor.run(userScope(actor.id), async ({ entries }) => {
      if (end === null) {
        const running = await entries.findRunning(actor.id);
        if (running) throw new TimerAlreadyRunning(running.id);
      }
      const range = { start, end };
      assertNoOverlap(range, await entries.findOverlapping(actor.id, range, null));
      return entries.add({ userId: actor.id, categoryId: category.id, start, end, note });
    });
  }
}
