import { ValidationFailed } from "./errors.js";
import type { TimeEntry } from "./time-entry.js";
import type { UserId } from "./user.js";

export type WebhookId = number;

/** The events a webhook may subscribe to (or "*" for all of them). */
export const ENTRY_EVENTS = ["entry.created", "entry.updated", "entry.deleted", "timer.started", "timer.stopped"] as const;
export type EntryEventType = (typeof ENTRY_EVENTS)[number];
export type EventType = EntryEventType | "webhook.ping";

/** Each event is one bit; "*" is every bit, also of events added later. */
const BIT: Readonly<Record<EntryEventType, number>> = {
  "entry.created": 1,
  "entry.updated": 2,
  "entry.deleted": 4,
  "timer.started": 8,
  "timer.stopped": 16,
};
export const ALL_EVENTS_MASK = 0x7fffffff;

export interface Webhook {
  readonly id: WebhookId;
  readonly userId: UserId;
  readonly url: string;
  /** As subscribed: a list of event types, or ["*"]. */
  readonly events: readonly string[];
  readonly description: string | null;
  readonly allUsers: boolean;
  readonly active: boolean;
  readonly createdAt: Date;
  /** `whsec_` + base64 of the signing key. */
  readonly secret: string;
}

export const DESCRIPTION_MAX = 500;
export const URL_MAX = 2000;

/** The subscription as a bit mask the stores match with `mask & bit <> 0`. */
export function eventMask(events: readonly string[]): number {
  if (events.length === 0) throw new ValidationFailed("events", "must name at least one event");
  let mask = 0;
  for (const event of events) {
    if (event === "*") return ALL_EVENTS_MASK;
    const bit = BIT[event as EntryEventType];
    if (bit === undefined) throw new ValidationFailed("events", `has an unknown event "${event}"`);
    mask |= bit;
  }
  return mask;
}

/** The mask's events, as a list (["*"] for all). */
export function eventsOf(mask: number): string[] {
  if (mask === ALL_EVENTS_MASK) return ["*"];
  return ENTRY_EVENTS.filter((event) => (mask & BIT[event]) !== 0);
}

export function eventBit(type: EntryEventType): number {
  return BIT[type];
}

/** A URL a webhook may call: http or https with a host, at most URL_MAX characters. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "" || raw.length > URL_MAX) {
    throw new ValidationFailed("url", "must be an http:// or https:// URL");
  }
  if (url.username !== "" || url.password !== "") throw new ValidationFailed("url", "must not carry a user name or password");
  return url;
}

/**
 * What a write of an entry announces: creating a running entry is also timer.started; a change
 * that ends a running entry is also timer.stopped; a delete is entry.deleted.
 */
export function entryEvents(before: TimeEntry | null, after: TimeEntry | null): EntryEventType[] {
  if (before === null && after !== null) return after.end === null ? ["entry.created", "timer.started"] : ["entry.created"];
  if (before !== null && after === null) return ["entry.deleted"];
  if (before !== null && after !== null) {
    return before.end === null && after.end !== null ? ["entry.updated", "timer.stopped"] : ["entry.updated"];
  }
  return [];
}

/** Attempts in all: the first and six retries. */
export const MAX_ATTEMPTS = 7;

/**
 * The delay before the next attempt after `attempts` failed ones (1-based), growing fivefold:
 * with a base of 5 s, 5 s, 25 s, ~2 min, ~10 min, ~52 min, ~4.3 h. Null: give up.
 */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return baseSeconds * 5 ** (attempts - 1);
}
