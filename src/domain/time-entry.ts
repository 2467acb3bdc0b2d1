import type { CategoryId } from "./category.js";
import { EntryOverlap, EntryTooLong, ValidationFailed } from "./errors.js";
import { formatInstant } from "./instant.js";
import { overlaps, type TimeRange } from "./time-range.js";
import type { UserId } from "./user.js";

export type EntryId = number;

/** What the overlap rule needs of an entry: which one, and when. */
export interface EntrySpan extends TimeRange {
  readonly id: EntryId;
}

export interface TimeEntry extends EntrySpan {
  readonly userId: UserId;
  readonly categoryId: CategoryId;
  readonly categoryName: string;
  readonly note: string | null;
}

/** What a store needs to record a new entry. */
export interface NewTimeEntry extends TimeRange {
  readonly userId: UserId;
  readonly categoryId: CategoryId;
  readonly note: string | null;
}

export const MAX_ENTRY_SECONDS = 24 * 60 * 60;
export const NOTE_MAX = 500;

/** A closed entry ends after it starts and lasts at most 24 hours. */
export function checkClosedRange(start: Date, end: Date): void {
  if (end.getTime() <= start.getTime()) {
    throw new ValidationFailed("end_time", "must be after start_time");
  }
  if (end.getTime() - start.getTime() > MAX_ENTRY_SECONDS * 1000) {
    throw new EntryTooLong(
      `An entry lasts at most 24 hours; ${formatInstant(start)} to ${formatInstant(end)} is longer`,
    );
  }
}

/** A timer starts at most 24 hours in the past and never in the future. */
export function checkTimerStart(start: Date, now: Date): void {
  if (start.getTime() > now.getTime()) {
    throw new ValidationFailed("start_time", "must not be in the future for a running timer");
  }
  if (now.getTime() - start.getTime() > MAX_ENTRY_SECONDS * 1000) {
    throw new EntryTooLong("A timer starts at most 24 hours in the past");
  }
}

export function checkNote(note: string | null): string | null {
  if (note !== null && [...note].length > NOTE_MAX) {
    throw new ValidationFailed("note", `must be at most ${NOTE_MAX} characters`);
  }
  return note;
}

function describe(range: TimeRange): string {
  const end = range.end === null ? "(running)" : formatInstant(range.end);
  return `${formatInstant(range.start)}–${end}`;
}

/**
 * Throws ENTRY_OVERLAP naming the first of `others` that overlaps `candidate`.
 * `others` are the user's entries that could conflict, without the one being changed.
 */
export function assertNoOverlap(candidate: TimeRange, others: readonly EntrySpan[]): void {
  const clash = others.find((other) => overlaps(candidate, other));
  if (clash) throw new EntryOverlap(clash.id, describe(candidate));
}
