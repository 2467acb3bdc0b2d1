import { EntryNotFound, TimerNotRunning } from "../domain/errors.js";
import { parseInstant, truncateToSecond } from "../domain/instant.js";
import { assertNoOverlap, bookingOf, checkClosedRange, checkUnlocked, type EntryId, type TimeEntry } from "../domain/time-entry.js";
import { lockBinding } from "./entry-booking.js";
import { loadOwnEntry, type Actor } from "./entry-support.js";
import type { Clock } from "./ports/clock.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface StopTimerInput {
  readonly actor: Actor;
  readonly entryId: EntryId;
  /** Defaults to now. A timer left running over 24 hours needs an explicit end. */
  readonly endTime?: string | undefined;
}

export class StopTimer {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
  ) {}

  async execute(input: StopTimerInput): Promise<TimeEntry> {
    const given = input.endTime === undefined ? null : parseInstant(input.endTime, "end_time");
    const lockBefore = await lockBinding(this.settings, input.actor);
    return this.transactor.run(userScope(input.actor.id), async ({ entries }) => {
      const entry = await loadOwnEntry(entries, input.actor, input.entryId);
      if (entry.end !== null) throw new TimerNotRunning(entry.id);
      checkUnlocked(input.actor.role, lockBefore, [entry.start]);
      const end = given ?? truncateToSecond(this.clock.now());
      checkClosedRange(entry.start, end);
      const range = { start: entry.start, end };
      assertNoOverlap(range, await entries.findOverlapping(entry.userId, range, entry.id));
      const stopped = await entries.update(entry.id, { ...bookingOf(entry), end });
      // Gone between the read and the write (a carried-over database without the lock, say).
      if (!stopped) throw new EntryNotFound(entry.id);
      return stopped;
    });
  }
}
