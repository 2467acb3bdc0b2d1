import type { EntryId, TimeEntry } from "../domain/time-entry.js";
import { loadOwnEntry, type Actor } from "./entry-support.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";

export class GetTimeEntry {
  constructor(private readonly entries: TimeEntryRepository) {}

  execute(input: { readonly actor: Actor; readonly entryId: EntryId }): Promise<TimeEntry> {
    return loadOwnEntry(this.entries, input.actor, input.entryId);
  }
}
