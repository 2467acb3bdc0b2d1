/** Dates and times for people, by Intl in the browser's locale and time zone. */

export const locale = (): string => (typeof navigator !== "undefined" && navigator.language) || "en";

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function formatTime(date: Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(date);
}

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(locale(), { weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(date);
}

export function formatDayHeading(date: Date): string {
  return new Intl.DateTimeFormat(locale(), { weekday: "short", day: "numeric", month: "short" }).format(date);
}

/** A [from, to) range of local days as people say it, e.g. "1–7 Mar 2026" (to is exclusive). */
export function formatDayRange(from: Date, toExclusive: Date): string {
  const last = new Date(toExclusive.getFullYear(), toExclusive.getMonth(), toExclusive.getDate() - 1);
  const format = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", year: "numeric" });
  return last.getTime() <= from.getTime() ? format.format(from) : format.formatRange(from, last);
}

/** An instant as a local date, with the time too unless it is local midnight. */
export function formatDateMaybeTime(date: Date): string {
  const midnight = date.getHours() === 0 && date.getMinutes() === 0 && date.getSeconds() === 0;
  return midnight ? formatDate(date) : `${formatDate(date)} ${formatTime(date)}`;
}

/** An API instant (RFC 3339) as a local date and time; `none` for null (never, not yet). */
export function whenText(instant: string | null, none = "—"): string {
  if (instant === null) return none;
  const date = new Date(instant);
  return `${formatDate(date)} ${formatTime(date)}`;
}
