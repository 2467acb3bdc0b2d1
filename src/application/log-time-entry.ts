import { TimerAlreadyRunning } from "../domain/errors.js";
import { parseInstant, truncateToSecond } from "../domain/instant.js";
import type { ProjectId } from "../domain/project.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  checkUnlocked,
  defaultBillable,
  rateFor,
  type TimeEntry,
} from "../domain/time-entry.js";
import { chosenProject, chosenTags, lockBinding, tagIdsOf, type Booker } from "./entry-booking.js";
import { resolveCategory } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import type { ProjectRepository } from "./ports/project-repository.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface LogTimeEntryInput {
  readonly actor: Booker;
  readonly category: string;
  readonly startTime: string;
  /** Absent: start a timer. */
  readonly endTime?: string | undefined;
  readonly note?: string | null | undefined;
  readonly projectId?: ProjectId | null | undefined;
  readonly tags?: readonly string[] | undefined;
  /** Absent: the project's default (false without a project). */
  readonly billable?: boolean | undefined;
}

export class LogTimeEntry {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly projects: ProjectRepository,
    private readonly settings: SettingsRepository,
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
    const tagNames = chosenTags(input.tags) ?? [];
    const category = await resolveCategory(this.categories, input.category);
    const project = (await chosenProject(this.projects, input.projectId)) ?? null;
    checkUnlocked(actor.role, await lockBinding(this.settings, actor), [start]);

    return this.transactor.run(userScope(actor.id), async ({ entries, tags }) => {
      if (end === null) {
        const running = await entries.findRunning(actor.id);
        if (running) throw new TimerAlreadyRunning(running.id);
      }
      const range = { start, end };
      assertNoOverlap(range, await entries.findOverlapping(actor.id, range, null));
      return entries.add({
        userId: actor.id,
        categoryId: category.id,
        start,
        end,
        note,
        projectId: project?.id ?? null,
        billable: input.billable ?? defaultBillable(project),
        // The rate is fixed now: later changes of the project's or the user's rate leave it.
        hourlyRateCents: rateFor(project, actor.hourlyRateCents),
        tagIds: await tagIdsOf(tags, tagNames),
      });
    });
  }
}
