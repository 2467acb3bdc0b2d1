import type { Static } from "@sinclair/typebox";
import type { Category } from "../../domain/category.js";
import { maySeeRates } from "../../domain/policy.js";
import type { User } from "../../domain/user.js";
import type { Invitation } from "../../application/ports/invitation-repository.js";
import { ValidationFailed } from "../../domain/errors.js";
import { isStoredId } from "../../domain/id.js";
import { EARLIEST_INSTANT_SECONDS, formatInstant, LATEST_INSTANT_SECONDS } from "../../domain/instant.js";
import { durationSeconds } from "../../domain/time-range.js";
import { amountCents, type TimeEntry } from "../../domain/time-entry.js";
import type { EntryPosition } from "../../application/ports/time-entry-repository.js";
import type * as S from "./schemas.js";
import type * as I from "./integration-schemas.js";
import type { ApiToken } from "../../application/ports/api-token-repository.js";
import type { Webhook } from "../../domain/webhook.js";
import type { Preferences } from "../../application/preferences.js";

/** Domain objects → the JSON the contract promises. */
export function presentEntry(entry: TimeEntry, username: string): Static<typeof S.TimeEntry> {
  return {
    id: entry.id,
    username,
    category: entry.categoryName,
    category_id: entry.categoryId,
    start_time: formatInstant(entry.start),
    end_time: entry.end === null ? null : formatInstant(entry.end),
    duration_seconds: durationSeconds(entry),
    note: entry.note,
    project_id: entry.projectId,
    project: entry.projectName,
    client: entry.clientName,
    tags: [...entry.tags],
    billable: entry.billable,
    hourly_rate_cents: entry.hourlyRateCents,
    amount_cents: amountCents(entry),
  };
}

/** A user as others see them: the rate only when the viewer may see rates. */
export function presentUser(user: User, viewer: User): Static<typeof S.UserSummary> {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    active: user.active,
    ...(maySeeRates(viewer) ? { hourly_rate_cents: user.hourlyRateCents } : {}),
  };
}

export function presentInvitation(invitation: Invitation, code?: string): Static<typeof S.Invitation> {
  return {
    id: invitation.id,
    ...(code === undefined ? {} : { code }),
    role: invitation.role,
    created_at: formatInstant(invitation.createdAt),
    expires_at: formatInstant(invitation.expiresAt),
  };
}

export function presentCategory(category: Category): Static<typeof S.Category> {
  return { id: category.id, name: category.name };
}

/**
 * Cursors are opaque to clients: base64url of a small JSON array. They carry a keyset position,
 * never an offset, so pages neither skip nor repeat rows as entries are added.
 */
export function encodeCursor(values: readonly number[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

function badCursor(): ValidationFailed {
  return new ValidationFailed("cursor", "is not a cursor this API returned");
}

/**
 * The cursor's numbers: non-negative safe integers, as many as asked. Each value is range-checked
 * again by its decoder, so nothing a client crafts reaches a store as an Invalid Date or an id
 * out of the column's range.
 */
function decodeNumbers(cursor: string, length: number): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length ||
    !parsed.every((value) => Number.isSafeInteger(value) && value >= 0)
  ) {
    throw badCursor();
  }
  return parsed as number[];
}

export function encodeEntryCursor(position: EntryPosition): string {
  return encodeCursor([Math.floor(position.start.getTime() / 1000), position.id]);
}

export function decodeEntryCursor(cursor: string | undefined): EntryPosition | null {
  if (cursor === undefined) return null;
  const [seconds, id] = decodeNumbers(cursor, 2) as [number, number];
  if (seconds < EARLIEST_INSTANT_SECONDS || seconds > LATEST_INSTANT_SECONDS || !isStoredId(id)) throw badCursor();
  return { start: new Date(seconds * 1000), id };
}

export function decodeUserCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const [id] = decodeNumbers(cursor, 1) as [number];
  if (!isStoredId(id)) throw badCursor();
  return id;
}

const ENTRY_ID = /^[1-9]\d{0,9}$/;

/**
 * An id from the path (an entry's, a team's, an invitation's): anything but a positive integer
 * in the id range is simply not one, and answers as `notFound` says.
 */
export function pathId(raw: string, notFound: (raw: string) => Error): number {
  const id = parseEntryId(raw);
  if (id === null) throw notFound(raw);
  return id;
}

/** An entry id from the path; anything but a positive integer is simply not an entry. */
export function parseEntryId(raw: string): number | null {
  if (!ENTRY_ID.test(raw)) return null;
  const id = Number(raw);
  return isStoredId(id) ? id : null;
}

export function presentPreferences(preferences: Preferences): Static<typeof S.Preferences> {
  return {
    daily_targets: preferences.dailyTargets.map((target) => ({ category_id: target.categoryId, seconds: target.seconds })),
  };
}

/** A token as GET /tokens lists it: never its secret (the service keeps only its hash). */
export function presentApiToken(token: ApiToken): Static<typeof S.ApiToken> {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    created_at: formatInstant(token.createdAt),
    expires_at: token.expiresAt === null ? null : formatInstant(token.expiresAt),
    last_used_at: token.lastUsedAt === null ? null : formatInstant(token.lastUsedAt),
  };
}

/** A webhook as GET /webhooks lists it: never its signing secret. */
export function presentWebhook(webhook: Webhook): Static<typeof I.Webhook> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: [...webhook.events],
    description: webhook.description,
    all_users: webhook.allUsers,
    active: webhook.active,
    created_at: formatInstant(webhook.createdAt),
  };
}
