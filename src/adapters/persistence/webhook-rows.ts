import { eventsOf, type EventType, type Webhook } from "../../domain/webhook.js";
import type { ClaimedDelivery, Delivery, DeliveryStatus } from "../../application/ports/webhook-repository.js";
import { fromEntrySnapshot } from "./entry-snapshot.js";

/** A webhooks row as both stores read it (times in ms since the epoch). */
export interface WebhookRow {
  id: number;
  user_id: number;
  url: string;
  events_mask: number;
  description: string | null;
  all_users: number;
  active: number;
  secret: string;
  created_at: number;
}

export const WEBHOOK_COLUMNS = "id, user_id, url, events_mask, description, all_users, active, secret, created_at";

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    userId: row.user_id,
    url: row.url,
    events: eventsOf(Number(row.events_mask)),
    description: row.description,
    allUsers: Number(row.all_users) === 1,
    active: Number(row.active) === 1,
    createdAt: new Date(Number(row.created_at)),
    secret: row.secret,
  };
}

export interface DeliveryRow {
  id: number;
  type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export const DELIVERY_COLUMNS = "id, type, status, attempts, last_status_code, last_error, created_at, delivered_at";

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    type: row.type as EventType,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: new Date(Number(row.created_at)),
    deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
  };
}

export interface ClaimedRow {
  id: number;
  webhook_id: number;
  url: string;
  secret: string;
  type: string;
  attempts: number;
  created_at: number;
  payload: string | null;
  username: string;
}

export const CLAIMED_COLUMNS =
  "d.id, d.webhook_id, w.url, w.secret, d.type, d.attempts, d.created_at, d.payload, d.username";
export const CLAIMED_FROM = "webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id";

export function toClaimed(row: ClaimedRow): ClaimedDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    url: row.url,
    secret: row.secret,
    type: row.type as EventType,
    attempt: row.attempts,
    createdAt: new Date(Number(row.created_at)),
    entry: row.type === "webhook.ping" || row.payload === null ? null : fromEntrySnapshot(row.payload),
    username: row.username,
  };
}

/** The columns an attempt's outcome sets, and their values, in this order. */
export const RECORD_ATTEMPT_SET =
  "status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, delivered_at = ?";

export function attemptValues(
  outcome: import("../../application/ports/webhook-repository.js").AttemptOutcome,
  now: Date,
): [string, number, number | null, string | null, number | null] {
  switch (outcome.kind) {
    case "delivered":
      return ["delivered", now.getTime(), outcome.statusCode, null, now.getTime()];
    case "retry":
      return ["pending", outcome.at.getTime(), outcome.statusCode, outcome.error.slice(0, 500), null];
    case "failed":
      return ["failed", now.getTime(), outcome.statusCode, outcome.error.slice(0, 500), null];
  }
}

/** What a change of a webhook sets: the columns and their values, for the fields given. */
export function webhookChangeSet(changes: {
  readonly url?: string;
  readonly eventMask?: number;
  readonly active?: boolean;
  readonly description?: string | null;
}): { set: string[]; values: (string | number | null)[] } {
  const set: string[] = [];
  const values: (string | number | null)[] = [];
  if (changes.url !== undefined) set.push("url = ?"), values.push(changes.url);
  if (changes.eventMask !== undefined) set.push("events_mask = ?"), values.push(changes.eventMask);
  if (changes.active !== undefined) set.push("active = ?"), values.push(changes.active ? 1 : 0);
  if (changes.description !== undefined) set.push("description = ?"), values.push(changes.description);
  return { set, values };
}

/** Statements both stores run as they are (plain SQL with `?` placeholders). */
export const INSERT_WEBHOOK_SQL =
  "INSERT INTO webhooks (user_id, url, events_mask, description, all_users, active, secret, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)";
export const ENQUEUE_PING_SQL =
  "INSERT INTO webhook_deliveries (webhook_id, type, username, payload, status, attempts, next_attempt_at, created_at) " +
  "SELECT w.id, 'webhook.ping', u.username, NULL, 'pending', 0, ?, ? FROM webhooks w JOIN users u ON u.id = w.user_id WHERE w.id = ?";
/**
 * One outbox row per matching webhook of an entry event: the owner's own, and every all_users
 * webhook whose creator is still an active admin or owner. Parameters: type, payload, due,
 * created, the entry's owner, the event's bit.
 */
export const ENQUEUE_ENTRY_EVENT_SQL =
  "INSERT INTO webhook_deliveries (webhook_id, type, username, payload, status, attempts, next_attempt_at, created_at) " +
  "SELECT w.id, ?, u.username, ?, 'pending', 0, ?, ? FROM webhooks w JOIN users u ON u.id = ? JOIN users o ON o.id = w.user_id " +
  "WHERE w.active = 1 AND (w.events_mask & ?) <> 0 " +
  "AND (w.user_id = u.id OR (w.all_users = 1 AND o.active = 1 AND o.role IN ('owner', 'admin')))";
/**
 * Whether ENQUEUE_ENTRY_EVENT_SQL could insert anything for the entry's owner (parameter): an
 * active webhook of theirs or an active all_users one. Looser than that statement's own
 * conditions, never stricter, so a store may skip the events (and their payload) when it finds none.
 */
export const ANY_ENTRY_WEBHOOK_SQL = "SELECT 1 FROM webhooks WHERE active = 1 AND (user_id = ? OR all_users = 1) LIMIT 1";
/** Whether anything is due: an idle worker's poll is this one cheap read. */
export const PEEK_DUE_SQL = "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1";
