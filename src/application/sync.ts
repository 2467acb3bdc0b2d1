import { CursorExpired, ValidationFailed } from "../domain/errors.js";
import type { Actor } from "./entry-support.js";
import type { ChangeFeed, EntryChange } from "./ports/change-feed.js";
import type { Clock } from "./ports/clock.js";

/** Deletions are kept this long at least; a cursor older than the kept ones is CURSOR_EXPIRED. */
export const TOMBSTONE_RETENTION_DAYS = 30;

/**
 * Where a client stands in its feed: the last change it has seen, and the purge mark under which
 * deletions cannot matter to it (when it started without a cursor, those entries were gone before
 * it began). Opaque to clients: base64url of "v1.<seq>.<horizon>".
 */
interface FeedCursor {
  readonly seq: number;
  readonly horizon: number;
}

const CURSOR = /^v1\.(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})$/;

export function encodeFeedCursor(cursor: FeedCursor): string {
  return Buffer.from(`v1.${cursor.seq}.${cursor.horizon}`, "utf8").toString("base64url");
}

function malformed(): ValidationFailed {
  return new ValidationFailed("cursor", "is not a cursor this feed gave (start again without one)");
}

function decodeFeedCursor(raw: string): FeedCursor {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw malformed();
  const match = CURSOR.exec(Buffer.from(raw, "base64url").toString("utf8"));
  if (!match) throw malformed();
  const seq = Number(match[1]);
  const horizon = Number(match[2]);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(horizon)) throw malformed();
  return { seq, horizon };
}

export interface SyncPage {
  readonly changes: readonly EntryChange[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

/** GET /sync/entries: the caller's own entries' changes after the cursor, oldest first. */
export class SyncEntries {
  constructor(private readonly feed: ChangeFeed) {}

  async execute(input: { readonly actor: Actor; readonly cursor?: string | undefined; readonly limit: number }): Promise<SyncPage> {
    const given = input.cursor === undefined ? null : decodeFeedCursor(input.cursor);
    const after = given?.seq ?? 0;
    const rows = await this.feed.changesAfter(input.actor.id, after, input.limit + 1);
    // Read after the changes: a purge that removed a deletion this page should have had moved
    // the mark before this read, so it is seen here and the cursor is refused rather than skipped.
    const position = (await this.feed.position(input.actor.id)) ?? { current: 0, purged: 0 };
    let horizon = position.purged;
    if (given !== null) {
      if (given.seq > position.current || given.horizon > position.current) throw malformed();
      if (position.purged > Math.max(given.seq, given.horizon)) throw new CursorExpired();
      horizon = given.horizon;
    }
    const changes = rows.slice(0, input.limit);
    const seq = changes.at(-1)?.seq ?? after;
    return { changes, nextCursor: encodeFeedCursor({ seq, horizon }), hasMore: rows.length > input.limit };
  }
}

/** Housekeeping: deletions older than the retention are dropped (run periodically). */
export class PurgeSyncTombstones {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  execute(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - TOMBSTONE_RETENTION_DAYS * 86_400_000);
    return this.feed.purgeDeletions(before);
  }
}
