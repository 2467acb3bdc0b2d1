import { parseInstant, truncateToSecond } from "../domain/instant.js";
import {
  checkSummaryRange,
  DEFAULT_GROUPING,
  DEFAULT_TIME_ZONE,
  parseGrouping,
  parseTimeZone,
  summarize,
  type Summary,
  type SummaryGrouping,
} from "../domain/summary.js";
import type { Actor } from "./entry-support.js";
import type { Clock } from "./ports/clock.js";
import type { TimeEntryRepository } from "./ports/time-entry-repository.js";

export interface SummarizeTimeInput {
  readonly actor: Actor;
  readonly from: string;
  readonly to: string;
  /** An IANA zone name; UTC when absent. */
  readonly tz?: string | undefined;
  /** category (the default), day, week or month. */
  readonly groupBy?: string | undefined;
}

/** The caller's summary, with the parameters it was computed for. */
export interface TimeSummary extends Summary {
  readonly from: Date;
  readonly to: Date;
  readonly tz: string;
  readonly groupBy: SummaryGrouping;
}

export class SummarizeTime {
  constructor(
    private readonly entries: TimeEntryRepository,
    private readonly clock: Clock,
  ) {}

  /** The caller's time in [from, to), grouped; a running timer counts up to now. */
  async execute(input: SummarizeTimeInput): Promise<TimeSummary> {
    const from = parseInstant(input.from, "from");
    const to = parseInstant(input.to, "to");
    checkSummaryRange(from, to);
    const tz = parseTimeZone(input.tz ?? DEFAULT_TIME_ZONE);
    const groupBy = parseGrouping(input.groupBy ?? DEFAULT_GROUPING);
    const now = truncateToSecond(this.clock.now());

    const rows = this.entries.streamByUser(input.actor.id, { from, to, categoryId: null });
    const summary = await summarize(rows, { from, to, tz, groupBy, now });
    return { from, to, tz, groupBy, ...summary };
  }
}
