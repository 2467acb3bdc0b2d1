import type { AttemptCounter } from "./attempt-counter.js";
import type { Repositories, Transactor } from "./transactor.js";
import type { ChangeFeed } from "./change-feed.js";
import type { WebhookRepository } from "./webhook-repository.js";

/** Thrown by a store when its database cannot be reached; the HTTP adapter answers 503. */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailable";
  }
}

/**
 * Thrown by a store when a write names a row that is not there (a foreign key fails): the user
 * or category it refers to was removed in the meantime. The HTTP adapter answers 404.
 */
export class ReferencedRowMissing extends Error {
  constructor(message = "A record this change refers to does not exist (any more)", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReferencedRowMissing";
  }
}

/** How busy the store's connections are, for /metrics (summed over pools where there are several). */
export interface PoolUsage {
  /** Connections open now. */
  readonly open: number;
  /** Of those, connections running a statement or holding a transaction. */
  readonly inUse: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
  /** The most connections the store opens. */
  readonly limit: number;
}

/** Everything a storage technology provides, as one bundle the composition root picks from. */
export interface Store extends Repositories {
  readonly transactor: Transactor;
  /** Incremental sync's change feed (GET /sync/entries). */
  readonly changeFeed: ChangeFeed;
  /** Webhooks and their outbox. */
  readonly webhooks: WebhookRepository;
  /** Limits on logins and registrations, shared by every process on this database. */
  readonly attempts: AttemptCounter;
  /** What the start-up log says: the kind of store and where it keeps data (never a password). */
  readonly description: string;
  /** Brings the schema up to date (forward-only migrations). */
  migrate(): Promise<void>;
  /** True when the database answers within a short timeout. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Connection usage now. */
  poolUsage(): PoolUsage;
}
