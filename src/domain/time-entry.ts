import type { CategoryId } from "./category.js";
import { EntryOverlap, EntryTooLong, PeriodLocked, ValidationFailed } from "./errors.js";
import { isAdmin } from "./policy.js";
import type { Project, ProjectId } from "./project.js";
import { formatInstant } from "./instant.js";
import { overlaps, type TimeRange } from "./time-range.js";
import type { Role, UserId } from "./user.js";
import type { TagId } from "./tag.js";

export type EntryId = number;

/** What the overlap rule needs of an entry: which one, and when. */
export interface EntrySpan extends TimeRange {
  readonly id: EntryId;
}

/** What an entry is booked on and earns: the fields every write sets together. */
export interface Booking {
  readonly projectId: ProjectId | null;
  readonly billable: boolean;
  /** Fixed onto the entry when it is written or its project changes: later rate changes leave it. */
  readonly hourlyRateCents: number | null;
}

export interface TimeEntry extends EntrySpan, Booking {
  readonly userId: UserId;
  readonly categoryId: CategoryId;
  readonly categoryName: string;
  readonly note: string | null;
  readonly projectName: string | null;
  readonly clientName: string | null;
  /** Tag names as first written, sorted as names sort. */
  readonly tags: readonly string[];
}

/**
 * What a store needs to record a new entry. Left out, an entry has no project, is not billable,
 * has no rate and no tags (as every entry the seed's clients log).
 */
export interface NewTimeEntry extends TimeRange, Partial<Booking> {
  readonly userId: UserId;
  readonly categoryId: CategoryId;
  readonly note: string | null;
  readonly tagIds?: readonly TagId[];
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

/**
 * The rate chain: the project's rate if it has one, else the user's, else none. A rate of 0 is a
 * rate (it stops the chain).
 */
export function rateFor(project: Pick<Project, "hourlyRateCents"> | null, userRateCents: number | null): number | null {
  return project?.hourlyRateCents ?? userRateCents;
}

/** An entry is billable by default when its project is. */
export function defaultBillable(project: Pick<Project, "billable"> | null): boolean {
  return project?.billable ?? false;
}

/** round(seconds × rate / 3600), half up, in whole cents; both are non-negative integers. */
export function earnedCents(seconds: number, rateCents: number): number {
  return Math.floor((seconds * rateCents + 1800) / 3600);
}

/** What a finished, billable entry with a rate earns; null for any other. */
export function amountCents(entry: Booking & TimeRange): number | null {
  if (!entry.billable || entry.hourlyRateCents === null || entry.end === null) return null;
  const seconds = Math.round((entry.end.getTime() - entry.start.getTime()) / 1000);
  return earnedCents(seconds, entry.hourlyRateCents);
}

/**
 * The locked period: while `lockBefore` is set, a member may not write an entry that starts
 * before it (create, edit, stop, delete), nor move one there; admins may. `starts` are the
 * entry's start before and after the change.
 */
export function checkUnlocked(role: Role, lockBefore: Date | null, starts: readonly Date[]): void {
  if (lockBefore === null || isAdmin(role)) return;
  if (starts.some((start) => start.getTime() < lockBefore.getTime())) {
    throw new PeriodLocked(formatInstant(lockBefore));
  }
}

/** Every field a store replaces on an update, as the entry has them now (its tags stay). */
export function bookingOf(entry: TimeEntry): Omit<NewTimeEntry, "userId" | "tagIds"> & Booking {
  return {
    categoryId: entry.categoryId,
    start: entry.start,
    end: entry.end,
    note: entry.note,
    projectId: entry.projectId,
    billable: entry.billable,
    hourlyRateCents: entry.hourlyRateCents,
  };
}
