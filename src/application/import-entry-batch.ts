import { CategoryNotFound, DomainError } from "../domain/errors.js";
import type { TimeEntry } from "../domain/time-entry.js";
import type { CreateCategory } from "./create-category.js";
import type { Booker } from "./entry-booking.js";
import type { LogTimeEntry } from "./log-time-entry.js";

export interface BatchItem {
  readonly category: string;
  readonly startTime: string;
  readonly endTime: string;
}

export interface BatchOutcome {
  readonly created: TimeEntry[];
  /** The items that broke a rule, by their index in the batch, with what was wrong. */
  readonly failures: { readonly index: number; readonly message: string }[];
}

/**
 * Logs finished entries one by one, each checked by every rule of LogTimeEntry (no overlap, also
 * with the items before it; 24 hours; the locked period), creating a category the first time an
 * item names it. An item that breaks a rule fails alone; the others are stored.
 */
export class ImportEntryBatch {
  constructor(
    private readonly createCategory: CreateCategory,
    private readonly logTimeEntry: LogTimeEntry,
  ) {}

  async execute(input: { readonly actor: Booker; readonly items: readonly BatchItem[] }): Promise<BatchOutcome> {
    const created: TimeEntry[] = [];
    const failures: { index: number; message: string }[] = [];
    for (const [index, item] of input.items.entries()) {
      try {
        created.push(await this.logItem(input.actor, item));
      } catch (error) {
        // A broken rule is this item's failure; anything else (the database is down) is the request's.
        if (!(error instanceof DomainError)) throw error;
        failures.push({ index, message: error.message });
      }
    }
    return { created, failures };
  }

  private async logItem(actor: Booker, item: BatchItem): Promise<TimeEntry> {
    const log = () => this.logTimeEntry.execute({ actor, category: item.category, startTime: item.startTime, endTime: item.endTime });
    try {
      return await log();
    } catch (error) {
      if (!(error instanceof CategoryNotFound)) throw error;
      await this.createCategory.execute({ name: item.category });
      return log();
    }
  }
}
