/**
 * Pure time maths for the web app: durations as h:mm, the timer's text, entries split at
 * local midnight, the week around a day with the locale's first day. No DOM, no API.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY_MS = 86_400_000;

/** Seconds as h:mm (minutes rounded down), e.g. 5400 → "1:30", 59 → "0:00", 90000 → "25:00". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  return `${hours}:${String(minutes).padStart(2, "0")}`;
}

/** A running timer's text, h:mm:ss, e.g. 3725 → "1:02:05", 7 → "0:00:07". */
export function formatElapsed(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  const secs = total % MINUTE;
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(secs).padStart(2, "0")}`;
}

/** Whole seconds from `start` to `now` (never negative). */
export function elapsedSeconds(start: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - start.getTime()) / 1000));
}

/** Local midnight at the start of the day holding `date`. */
export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** The local day `days` after `date`'s (DST-safe: by calendar, not by 24 h). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** The local calendar day as YYYY-MM-DD. */
export function dayKey(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/**
 * The locale's first day of the week as 1 (Monday) … 7 (Sunday), from Intl.Locale's weekInfo
 * (getWeekInfo() in newer engines) where the engine has it, else Monday.
 */
export function firstDayOfWeek(locale: string): number {
  try {
    const info = new Intl.Locale(locale) as unknown as {
      weekInfo?: { firstDay?: number };
      getWeekInfo?: () => { firstDay?: number };
    };
    const week = typeof info.getWeekInfo === "function" ? info.getWeekInfo() : info.weekInfo;
    const first = week?.firstDay;
    return typeof first === "number" && first >= 1 && first <= 7 ? first : 1;
  } catch {
    return 1;
  }
}

/** The seven local days of the week holding `date`, starting on `firstDay` (1 = Monday … 7 = Sunday). */
export function weekDays(date: Date, firstDay: number): Date[] {
  const isoDay = date.getDay() === 0 ? 7 : date.getDay();
  const back = (isoDay - firstDay + 7) % 7;
  const start = addDays(startOfDay(date), -back);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

export interface Span {
  /** The local day (YYYY-MM-DD) this piece falls on. */
  readonly day: string;
  readonly start: Date;
  readonly end: Date;
  /** Minutes from that day's local midnight to the piece's start and end (0…1440). */
  readonly startMinute: number;
  readonly endMinute: number;
}

/**
 * An interval cut at each local midnight it crosses: one piece per local day it touches, each
 * with its position in that day (for the week calendar's blocks). Empty for an empty interval.
 */
export function splitAtMidnight(start: Date, end: Date): Span[] {
  const pieces: Span[] = [];
  if (!(end.getTime() > start.getTime())) return pieces;
  let cursor = start;
  // A guard against a runaway loop on absurd input: no entry spans more than a year of days.
  for (let i = 0; i < 400 && cursor.getTime() < end.getTime(); i++) {
    const dayStart = startOfDay(cursor);
    const next = addDays(dayStart, 1);
    const pieceEnd = next.getTime() < end.getTime() ? next : end;
    const dayLength = (next.getTime() - dayStart.getTime()) / 60_000;
    pieces.push({
      day: dayKey(dayStart),
      start: cursor,
      end: pieceEnd,
      startMinute: Math.round((cursor.getTime() - dayStart.getTime()) / 60_000),
      endMinute: pieceEnd === next ? Math.round(dayLength) : Math.round((pieceEnd.getTime() - dayStart.getTime()) / 60_000),
    });
    cursor = pieceEnd;
  }
  return pieces;
}

/** Seconds of [start, end) that fall on each local day, keyed YYYY-MM-DD. */
export function secondsByDay(start: Date, end: Date): Map<string, number> {
  const totals = new Map<string, number>();
  for (const piece of splitAtMidnight(start, end)) {
    totals.set(piece.day, (totals.get(piece.day) ?? 0) + (piece.end.getTime() - piece.start.getTime()) / 1000);
  }
  return totals;
}

/** An instant as the API takes it: RFC 3339 UTC, whole seconds. */
export function toApiInstant(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A local date-time as an <input type="datetime-local"> value (YYYY-MM-DDTHH:MM). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${dayKey(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An <input type="datetime-local"> or <input type="date"> value read as local time; null if empty or invalid. */
export function fromLocalInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  return Number.isNaN(date.getTime()) ? null : date;
}

export type Preset = "this-week" | "last-week" | "this-month" | "last-month" | "this-year";

/** A report preset as [from, to) local days, `to` exclusive; weeks start on `firstDay`. */
export function presetRange(preset: Preset, today: Date, firstDay: number): { from: Date; to: Date } {
  const day = startOfDay(today);
  switch (preset) {
    case "this-week": {
      const from = weekDays(day, firstDay)[0] as Date;
      return { from, to: addDays(from, 7) };
    }
    case "last-week": {
      const from = addDays(weekDays(day, firstDay)[0] as Date, -7);
      return { from, to: addDays(from, 7) };
    }
    case "this-month":
      return { from: new Date(day.getFullYear(), day.getMonth(), 1), to: new Date(day.getFullYear(), day.getMonth() + 1, 1) };
    case "last-month":
      return { from: new Date(day.getFullYear(), day.getMonth() - 1, 1), to: new Date(day.getFullYear(), day.getMonth(), 1) };
    case "this-year":
      return { from: new Date(day.getFullYear(), 0, 1), to: new Date(day.getFullYear() + 1, 0, 1) };
  }
}

/** Days between two local midnights, by calendar. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/**
 * Seconds of the intervals that fall on each of `days` (local YYYY-MM-DD), cut at local midnight;
 * time on other days is left out. Every one of `days` is in the map, 0 where nothing falls.
 */
export function secondsOnDays(intervals: readonly { readonly start: Date; readonly end: Date }[], days: readonly string[]): Map<string, number> {
  const totals = new Map<string, number>(days.map((day) => [day, 0]));
  for (const { start, end } of intervals) {
    for (const [day, seconds] of secondsByDay(start, end)) {
      const sum = totals.get(day);
      if (sum !== undefined) totals.set(day, sum + seconds);
    }
  }
  return totals;
}
