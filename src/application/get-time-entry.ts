import { EntryNotFound } from "../domain/errors.js";
import type { EntryId, TimeEntry } from "../domain/time-entry.js";
import { maySeeTimeOfUser, type Actor } from "./entry-support.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface SeenEntry {
  readonly entry: TimeEntry;
  /** The name of the entry's owner. */
  readonly username: string;
}

/**
 * An entry the caller may see: their own, a member's of a team they lead, anyone's for an admin.
 * Any other is ENTRY_NOT_FOUND, so its existence is not revealed.
 */
export class GetTimeEntry {
  constructor(
    private readonly entries: TimeEntryRepository,
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
  ) {}

  async execute(input: { readonly actor: Actor; readonly entryId: EntryId }): Promise<SeenEntry> {
    const { actor } = input;
    const entry = await this.entries.findById(input.entryId);
    if (!entry) throw new EntryNotFound(input.entryId);
    if (entry.userId === actor.id) return { entry, username: actor.username };
    const owner = (await maySeeTimeOfUser(this.teams, actor, entry.userId)) ? await this.users.findById(entry.userId) : null;
    if (!owner) throw new EntryNotFound(input.entryId);
    return { entry, username: owner.username };
  }
}
