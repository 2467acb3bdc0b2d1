import { ValidationFailed } from "./errors.js";

/**
 * Instants in requests are either the seed's "YYYY-MM-DD HH:MM:SS" (read as UTC) or RFC 3339 with
 * "Z" or an offset. Fractions of a second are dropped. A local time with no offset, a date alone,
 * or anything else is refused. Years are 1000-9999, the range MySQL's DATETIME holds.
 */
const SEED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_SECOND = 1000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(parts: readonly number[], offsetMinutes: number): Date | null {
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const date = new Date(ms);
  if (date.getUTCFullYear() < 1000 || date.getUTCFullYear() > 9999) return null;
  return date;
}

/** The instants every store can hold: years 1000 to 9999 (MySQL's DATETIME), in whole seconds. */
export const EARLIEST_INSTANT_SECONDS = Date.UTC(1000, 0, 1) / MS_PER_SECOND;
export const LATEST_INSTANT_SECONDS = Date.UTC(9999, 11, 31, 23, 59, 59) / MS_PER_SECOND;

/** Parses an instant, or returns null when the text is not one. */
export function tryParseInstant(text: string): Date | null {
  const seed = SEED.exec(text);
  if (seed) return build(seed.slice(1, 7).map(Number), 0);
  const rfc = RFC3339.exec(text);
  if (!rfc) return null;
  let offset = 0;
  if (!rfc[7]) {
    const hours = Number(rfc[9]);
    const minutes = Number(rfc[10]);
    if (hours > 23 || minutes > 59) return null;
    offset = (rfc[8] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  return build(rfc.slice(1, 7).map(Number), offset);
}

/** Parses an instant given as the input field `field`, or throws VALIDATION_FAILED. */
export function parseInstant(text: string, field: string): Date {
  const instant = tryParseInstant(text);
  if (!instant) {
    throw new ValidationFailed(
      field,
      "must be a date-time: 'YYYY-MM-DD HH:MM:SS' (UTC) or RFC 3339 with 'Z' or an offset",
    );
  }
  return instant;
}

/** Whether the instant is a whole second (what every store keeps). */
export function isWholeSecond(date: Date): boolean {
  return date.getTime() % MS_PER_SECOND === 0;
}

/** Whole seconds: the precision every store keeps. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / MS_PER_SECOND) * MS_PER_SECOND);
}

/** "00" … "99". */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const MS_PER_DAY = 86_400_000;

/** The last day formatted, "2026-02-10T": consecutive instants (a page, an export) mostly share it. */
let lastDay = Number.NaN;
let lastDayText = "";

/**
 * RFC 3339 in UTC, whole seconds: "2026-02-10T08:00:00Z" (years are 1000-9999, always four
 * digits). A 1,000-entry page formats 2,000 of these: the date part is worked out only when the
 * day changes, the time of day by arithmetic on the epoch milliseconds.
 */
export function formatInstant(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== lastDay) {
    lastDayText = `${date.getUTCFullYear()}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]}T`;
    lastDay = day;
  }
  const second = Math.floor((ms - day * MS_PER_DAY) / 1000);
  return (
    `${lastDayText}${TWO_DIGITS[Math.floor(second / 3600)]}:` +
    `${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}Z`
  );
}
