import DataLoader from "dataloader";

/**
 * Reads asked for in the same turn of the event loop, sent as one statement.
 *
 * Under load many requests arrive in one turn (the poll phase hands over every socket that is
 * ready), and each would otherwise cost a round trip to the server for the same kind of read:
 * the session behind a token, the category list. The statement goes out on the next turn
 * (`setImmediate`), after every request of this turn has asked, so each read still starts after
 * its request arrived: whatever was committed before the request arrived is seen, exactly as
 * with a statement of its own. Nothing is cached between turns.
 *
 * Only for reads on the pool: a transaction's reads must run on its own connection.
 */
export function coalescedReads<K, V>(read: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>((keys) => read(keys), {
    cache: false,
    maxBatchSize: IN_LIST_SIZES.at(-1),
    batchScheduleFn: (run) => setImmediate(run),
  });
}

/**
 * The sizes an `IN (…)` list is padded to. The server keeps one prepared statement per distinct
 * text and connection (and caps them across all clients), so batches of any size share these few.
 */
export const IN_LIST_SIZES = [1, 2, 4, 8, 16, 32, 64] as const;

/** `values` without repeats, padded with its last value to the next size in IN_LIST_SIZES. */
export function inList<T>(values: readonly T[]): { placeholders: string; params: T[] } {
  const distinct = [...new Set(values)];
  const last = distinct.at(-1);
  if (last === undefined) throw new Error("an IN list needs at least one value");
  const size = IN_LIST_SIZES.find((candidate) => candidate >= distinct.length) ?? distinct.length;
  const params = [...distinct];
  while (params.length < size) params.push(last);
  return { placeholders: params.map(() => "?").join(", "), params };
}
