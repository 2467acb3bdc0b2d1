import { EntryNotFound } from "../domain/errors.js";
import { checkUnlocked, type EntryId } from "../domain/time-entry.js";
import { lockBinding } from "./entry-booking.js";
import { loadOwnEntry, type Actor } from "./entry-support.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export class DeleteTimeEntry {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: { readonly actor: Actor; readonly entryId: EntryId }): Promise<void> {
    const lockBefore = await lockBinding(this.settings, input.actor);
    await this.transactor.run(userScope(input.actor.id), async ({ entries }) => {
      const entry = await loadOwnEntry(entries, input.actor, input.entryId);
      checkUnlocked(input.actor.role, lockBefore, [entry.start]);
      if (!(await entries.remove(entry.id))) throw new EntryNotFound(entry.id);
    });
  }
}
