import type { TimeEntry } from "../domain/time-entry.js";
import { bookPrepared, EntryPreparer, type Booker, type BookingLookups, type EntryRequest } from "./entry-booking.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface LogTimeEntryInput extends EntryRequest {
  readonly actor: Booker;
}

export class LogTimeEntry {
  constructor(
    private readonly lookups: BookingLookups,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: LogTimeEntryInput): Promise<TimeEntry> {
    const { actor } = input;
    const preparer = new EntryPreparer(this.lookups, actor);
    const entry = await preparer.prepare(input);
    return this.transactor.run(userScope(actor.id), (repos) => bookPrepared(repos, actor, entry));
  }
}
