import type { EntryPosition } from "../../application/ports/time-entry-repository.js";

/** What one batch of a keyset stream reads: the rows strictly after `after`, at most `limit`. */
export type KeysetPageReader<T> = (after: EntryPosition | null, limit: number) => Promise<readonly T[]>;

export interface KeysetStreamOptions {
  /** Rows read per statement: memory holds one batch, whatever the stream's length. */
  readonly batchSize: number;
  /** Awaited before every batch but the first (SQLite lets other requests run there). */
  readonly betweenBatches?: () => Promise<void>;
}

/**
 * Every row a keyset-paged query gives, in its (start, id) order, one batch at a time: each
 * batch starts strictly after the last row of the one before, so rows added or removed while it
 * streams never make it skip or repeat one that stays. The stores' `streamByUser` is this over
 * their own page query.
 */
export async function* keysetStream<T extends EntryPosition>(
  readPage: KeysetPageReader<T>,
  { batchSize, betweenBatches }: KeysetStreamOptions,
): AsyncGenerator<T, void, undefined> {
  let after: EntryPosition | null = null;
  for (;;) {
    if (after !== null && betweenBatches) await betweenBatches();
    const page = await readPage(after, batchSize);
    yield* page;
    const last = page.at(-1);
    if (page.length < batchSize || last === undefined) return;
    after = { start: last.start, id: last.id };
  }
}
