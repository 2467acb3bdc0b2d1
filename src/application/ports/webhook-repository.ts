import type { EventType, Webhook, WebhookId } from "../../domain/webhook.js";
import type { TimeEntry } from "../../domain/time-entry.js";
import type { UserId } from "../../domain/user.js";

export interface NewWebhook {
  readonly userId: UserId;
  readonly url: string;
  readonly eventMask: number;
  readonly description: string | null;
  readonly allUsers: boolean;
  readonly secret: string;
  readonly createdAt: Date;
}

export interface WebhookChanges {
  readonly url?: string;
  readonly eventMask?: number;
  readonly active?: boolean;
  readonly description?: string | null;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** One event for one webhook: the outbox row and its delivery log at once. */
export interface Delivery {
  readonly id: number;
  readonly type: EventType;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** A delivery a worker has claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly webhookId: WebhookId;
  readonly url: string;
  readonly secret: string;
  readonly type: EventType;
  /** This attempt's number (1 for the first). */
  readonly attempt: number;
  readonly createdAt: Date;
  /** The entry (as it was, for entry.deleted) and its owner's name; null for webhook.ping. */
  readonly entry: TimeEntry | null;
  readonly username: string;
}

export type AttemptOutcome =
  | { readonly kind: "delivered"; readonly statusCode: number }
  | { readonly kind: "retry"; readonly statusCode: number | null; readonly error: string; readonly at: Date }
  | { readonly kind: "failed"; readonly statusCode: number | null; readonly error: string };

/** An attempt's outcome to record: the delivery, what became of it, and when the attempt ended. */
export interface AttemptRecord {
  readonly id: number;
  readonly outcome: AttemptOutcome;
  readonly at: Date;
}

/**
 * Webhooks and their outbox. The event rows of entry changes are written by the entry
 * repositories in the change's own transaction; this port reads and works through them.
 */
export interface WebhookRepository {
  add(webhook: NewWebhook): Promise<Webhook>;
  findById(id: WebhookId): Promise<Webhook | null>;
  /** The user's webhooks, oldest first. */
  listByUser(userId: UserId): Promise<Webhook[]>;
  update(id: WebhookId, changes: WebhookChanges): Promise<Webhook | null>;
  /** Removes the webhook and its deliveries; returns whether there was one. */
  remove(id: WebhookId): Promise<boolean>;
  /** The webhook's deliveries, newest first. */
  deliveries(id: WebhookId, limit: number): Promise<Delivery[]>;
  /** Queues a webhook.ping for the webhook, due now. */
  enqueuePing(id: WebhookId, now: Date): Promise<void>;
  /**
   * Claims up to `limit` pending deliveries due at `now` for one attempt each, reserving them
   * until `leaseUntil`: no other worker (of this process or another) claims them meanwhile.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;
  /** Records the outcomes of a round's attempts together (on SQLite: one transaction, one commit). */
  recordAttempts(attempts: readonly AttemptRecord[]): Promise<void>;
  /** Pending deliveries (the queue's depth). */
  pendingCount(): Promise<number>;
  /**
   * Deletes up to `limit` deliveries that finished (delivered, or failed for good) before
   * `before`, by their last attempt, in no promised order; pending ones stay. Returns how many
   * it deleted: called again until that is below `limit`, it leaves none of them.
   */
  purgeFinished(before: Date, limit: number): Promise<number>;
}
