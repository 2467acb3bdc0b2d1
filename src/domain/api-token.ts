import { ValidationFailed } from "./errors.js";

/** What an API token may do: `read` only reads (GET, HEAD); `write` does whatever its user may. */
export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Every API token's secret starts with this, so a bearer token says which kind it is. */
export const API_TOKEN_PREFIX = "tt_";

export const TOKEN_NAME_MAX = 100;
export const TOKEN_DAYS_DEFAULT = 90;
export const TOKEN_DAYS_MAX = 3650;

/** A scope read back from a store; anything else there is a corrupt row, not a user's mistake. */
export function storedTokenScope(raw: string): TokenScope {
  const scope = TOKEN_SCOPES.find((known) => known === raw);
  if (!scope) throw new Error(`An API token has an unknown scope '${raw}'`);
  return scope;
}

const READ_METHODS = new Set(["GET", "HEAD"]);

/** Whether a token of this scope may make a request with this HTTP method. */
export function scopeAllows(scope: TokenScope, method: string): boolean {
  return scope === "write" || READ_METHODS.has(method.toUpperCase());
}

/** Whether a bearer token is an API token's secret (rather than a login session's token). */
export function isApiTokenSecret(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/** A token's name: 1-100 characters after trimming, stored trimmed. */
export function parseTokenName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > TOKEN_NAME_MAX) {
    throw new ValidationFailed("name", `must be 1 to ${TOKEN_NAME_MAX} characters after trimming`);
  }
  return name;
}

/**
 * When a token made at `now` expires: `days` later (left out: 90), or never for null.
 * A whole number of days from 1 to 3650.
 */
export function tokenExpiry(now: Date, days: number | null | undefined): Date | null {
  if (days === null) return null;
  const wanted = days ?? TOKEN_DAYS_DEFAULT;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > TOKEN_DAYS_MAX) {
    throw new ValidationFailed("expires_in_days", `must be a whole number of days from 1 to ${TOKEN_DAYS_MAX}, or null`);
  }
  return new Date(now.getTime() + wanted * 86_400_000);
}

/** `last_used_at` is kept to the minute: the start of the minute `now` falls in. */
export function usedMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

/** Whether a use at `now` should be written down: only once per minute per token. */
export function needsUseRecorded(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || lastUsedAt.getTime() < usedMinute(now).getTime();
}
