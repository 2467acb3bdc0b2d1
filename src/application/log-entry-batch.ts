import { DomainError, Forbidden } from "../domain/errors.js";
import { nameKey } from "../domain/names.js";
import type { TimeEntry } from "../domain/time-entry.js";
import { bookPrepared, EntryPreparer, type Booker, type BookingLookups, type EntryRequest } from "./entry-booking.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export const BATCH_MAX_ITEMS = 500;

/** One item's outcome, in the order the items came: its stored entry, or the rule it broke. */
export type BatchResult = { readonly entry: TimeEntry } | { readonly error: DomainError };

export interface BatchOutcome {
  readonly results: readonly BatchResult[];
  /** False when the batch was atomic and an item failed: then nothing was stored. */
  readonly stored: boolean;
}

/** Thrown inside the unit of work to roll an atomic batch back; never leaves this file. */
class RollBack extends Error {}

/**
 * Logs many entries at once, each by the rules of POST /entry, in ONE unit of work (one lock
 * for the whole batch). Items are stored in order, so each is checked against the stored entries
 * and the items before it. Partial by default: a failing item fails alone; when atomic, one failure
 * rolls every item back.
 */
export class LogEntryBatch {
  constructor(
    private readonly lookups: BookingLookups,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: {
    readonly actor: Booker;
    /** `username`, as in POST /entry's body, may only name the caller. */
    readonly items: readonly (EntryRequest & { readonly username?: string | undefined })[];
    readonly atomic: boolean;
  }): Promise<BatchOutcome> {
    const { actor } = input;
    const preparer = new EntryPreparer(this.lookups, actor);
    const prepared = await Promise.all(
      input.items.map((item) =>
        settle(async () => {
          if (item.username !== undefined && nameKey(item.username) !== nameKey(actor.username)) {
            throw new Forbidden("An entry can only be logged for yourself");
          }
          return preparer.prepare(item);
        }),
      ),
    );
    const results: BatchResult[] = [];
    try {
      await this.transactor.run(userScope(actor.id), async (repos) => {
        for (const item of prepared) {
          results.push("error" in item ? item : await settle(() => bookPrepared(repos, actor, item.entry)));
        }
        if (input.atomic && results.some((result) => "error" in result)) throw new RollBack();
      });
    } catch (error) {
      if (error instanceof RollBack) return { results, stored: false };
      throw error;
    }
    return { results, stored: true };
  }
}

/** The value, or the domain rule it broke; any other failure (the store's) is not an item's. */
async function settle<T>(work: () => Promise<T>): Promise<{ readonly entry: T } | { readonly error: DomainError }> {
  try {
    return { entry: await work() };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}
