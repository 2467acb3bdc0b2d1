import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInstant, parseInstant, tryParseInstant } from "../../src/domain/instant.js";
import { DomainError } from "../../src/domain/errors.js";

describe("instants", () => {
  it("reads the seed's format as UTC", () => {
    expect(tryParseInstant("2026-02-10 09:00:00")?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
  });

  it("reads RFC 3339 with Z or an offset, converting to UTC", () => {
    expect(tryParseInstant("2026-02-10T09:00:00Z")?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
    expect(tryParseInstant("2026-02-10T09:00:00+01:00")?.toISOString()).toBe("2026-02-10T08:00:00.000Z");
    expect(tryParseInstant("2026-02-10T09:00:00-05:30")?.toISOString()).toBe("2026-02-10T14:30:00.000Z");
    expect(tryParseInstant("2026-02-10t09:00:00z")?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
  });

  it("drops fractions of a second", () => {
    expect(tryParseInstant("2026-02-10T09:00:00.999Z")?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
    expect(tryParseInstant("2026-02-10 09:00:00.5")?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
  });

  it.each([
    "2026-02-10T09:00:00",
    "2026-02-10",
    "2026-02-10 09:00",
    "10/02/2026 09:00:00",
    "2026-02-30 09:00:00",
    "2026-13-01 09:00:00",
    "2026-02-10 24:00:00",
    "2026-02-10 23:60:00",
    "2026-02-10 23:59:60",
    "2026-02-10T09:00:00+24:00",
    "0999-12-31 23:59:59",
    " 2026-02-10 09:00:00",
    "2026-02-10 09:00:00\n",
    "",
    "now",
  ])("refuses %j", (text) => {
    expect(tryParseInstant(text)).toBeNull();
  });

  it("accepts 29 February only in leap years", () => {
    expect(tryParseInstant("2028-02-29 00:00:00")).not.toBeNull();
    expect(tryParseInstant("2026-02-29 00:00:00")).toBeNull();
  });

  it("names the field in the validation error", () => {
    try {
      parseInstant("yesterday", "start_time");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("VALIDATION_FAILED");
      expect((error as DomainError).fieldProblems[0]?.field).toBe("start_time");
    }
  });

  it("formats RFC 3339 UTC with whole seconds", () => {
    expect(formatInstant(new Date("2026-02-10T08:00:00.750Z"))).toBe("2026-02-10T08:00:00Z");
  });

  it("formats any instant of years 1000-9999 as toISOString does, less the fraction, in any order", () => {
    const reference = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
    const instant = fc.date({ min: new Date("1000-01-02T00:00:00Z"), max: new Date("9999-12-31T23:59:58.999Z"), noInvalidDate: true });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (dates) => {
        // Neighbours on the same day, across midnight and far apart: the remembered day must not leak.
        const sameDay = dates.flatMap((date) => [date, new Date(date.getTime() + 1_000), new Date(date.getTime() - 86_399_000)]);
        for (const date of sameDay) expect(formatInstant(date)).toBe(reference(date));
      }),
      { numRuns: 300 },
    );
    for (const text of ["1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
      expect(formatInstant(new Date(text))).toBe(text);
    }
  });
});
