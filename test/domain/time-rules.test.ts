import { describe, expect, it } from "vitest";
import { EntryOverlap, EntryTooLong, ValidationFailed } from "../../src/domain/errors.js";
import { clippedSeconds, durationSeconds, overlaps } from "../../src/domain/time-range.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  type TimeEntry,
} from "../../src/domain/time-entry.js";
import { at } from "../support/names.js";
import { UNBOOKED } from "../support/fakes.js";

const range = (start: string, end: string | null) => ({ start: at(start), end: end === null ? null : at(end) });
const entry = (id: number, start: string, end: string | null): TimeEntry => ({
  id, userId: 1, categoryId: 1, categoryName: "Work", note: null, ...UNBOOKED, ...range(start, end),
});

describe("time ranges", () => {
  it("are half-open: touching ranges do not overlap", () => {
    expect(overlaps(range("2026-02-10 09:00", "2026-02-10 10:00"), range("2026-02-10 10:00", "2026-02-10 11:00"))).toBe(false);
    expect(overlaps(range("2026-02-10 10:00", "2026-02-10 11:00"), range("2026-02-10 09:00", "2026-02-10 10:00"))).toBe(false);
  });

  it("overlap when they share an instant, symmetrically, including containment", () => {
    const a = range("2026-02-10 09:00", "2026-02-10 10:00");
    const b = range("2026-02-10 09:59", "2026-02-10 12:00");
    const inner = range("2026-02-10 09:15", "2026-02-10 09:45");
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(b, a)).toBe(true);
    expect(overlaps(a, inner)).toBe(true);
    expect(overlaps(inner, a)).toBe(true);
    expect(overlaps(a, a)).toBe(true);
  });

  it("treat an open range (running timer) as lasting until now and on", () => {
    const timer = range("2026-02-10 09:00", null);
    expect(overlaps(timer, range("2030-01-01 00:00", "2030-01-01 01:00"))).toBe(true);
    expect(overlaps(timer, range("2026-02-10 08:00", "2026-02-10 09:00"))).toBe(false);
    expect(overlaps(timer, range("2026-02-10 08:00", null))).toBe(true);
  });

  it("measure durations and clipped seconds", () => {
    expect(durationSeconds(range("2026-02-10 09:00", "2026-02-10 11:30"))).toBe(9000);
    expect(durationSeconds(range("2026-02-10 09:00", null))).toBeNull();
    const r = range("2026-02-10 09:00", "2026-02-10 11:00");
    expect(clippedSeconds(r, at("2026-02-10 10:00"), at("2026-02-11 00:00"), at("2026-03-01 00:00"))).toBe(3600);
    expect(clippedSeconds(r, at("2026-02-10 12:00"), at("2026-02-11 00:00"), at("2026-03-01 00:00"))).toBe(0);
    expect(clippedSeconds(range("2026-02-10 09:00", null), at("2026-02-10 00:00"), at("2026-02-11 00:00"), at("2026-02-10 09:30"))).toBe(1800);
  });
});

describe("entry rules", () => {
  it("an entry ends after it starts", () => {
    expect(() => checkClosedRange(at("2026-02-10 10:00"), at("2026-02-10 10:00"))).toThrow(ValidationFailed);
    expect(() => checkClosedRange(at("2026-02-10 10:00"), at("2026-02-10 09:00"))).toThrow(ValidationFailed);
  });

  it("an entry lasts at most 24 hours", () => {
    expect(() => checkClosedRange(at("2026-02-10 10:00"), at("2026-02-11 10:00"))).not.toThrow();
    expect(() => checkClosedRange(at("2026-02-10 10:00"), at("2026-02-11 10:00:01"))).toThrow(EntryTooLong);
  });

  it("a timer starts at most 24 hours in the past and never in the future", () => {
    const now = at("2026-02-10 12:00");
    expect(() => checkTimerStart(at("2026-02-10 12:00"), now)).not.toThrow();
    expect(() => checkTimerStart(at("2026-02-09 12:00"), now)).not.toThrow();
    expect(() => checkTimerStart(at("2026-02-09 11:59:59"), now)).toThrow(EntryTooLong);
    expect(() => checkTimerStart(at("2026-02-10 12:00:01"), now)).toThrow(ValidationFailed);
  });

  it("a note holds at most 500 characters, counted as code points", () => {
    expect(checkNote("⏱".repeat(500))).toHaveLength(500);
    expect(checkNote("😀".repeat(500))).toBe("😀".repeat(500));
    expect(() => checkNote("x".repeat(501))).toThrow(ValidationFailed);
    expect(checkNote(null)).toBeNull();
  });

  it("an overlap names the other entry", () => {
    const others = [entry(7, "2026-02-10 08:00", "2026-02-10 09:00"), entry(42, "2026-02-10 09:00", "2026-02-10 10:00")];
    expect(() => assertNoOverlap(range("2026-02-10 07:00", "2026-02-10 08:00"), others)).not.toThrow();
    try {
      assertNoOverlap(range("2026-02-10 09:30", "2026-02-10 11:00"), others);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EntryOverlap);
      expect((error as EntryOverlap).otherEntryId).toBe(42);
      expect((error as EntryOverlap).message).toBe("2026-02-10T09:30:00Z–2026-02-10T11:00:00Z overlaps entry 42");
    }
  });
});
