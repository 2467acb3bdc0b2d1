import { EntryNotFound } from "../domain/errors.js";
import type { EntryId } from "../domain/time-entry.js";
import { loadOwnEntry, type Actor } from "./entry-support.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export class DeleteTimeEntry {
  constructor(private readonly transactor: Transactor) {}

  async execute(input: { readonly actor: Actor; readonly entryId: EntryId }): Promise<void> {
    await this.transactor.run(userScope(input.actor.id), async ({ entries }) => {
      const entry = await loadOwnEntry(entries, input.actor, input.entryId);
      if (!(await entries.remove(entry.id))) throw new EntryNotFound(entry.id);
    });
  }
}
