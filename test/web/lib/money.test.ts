import { describe, expect, it } from "vitest";
import { centsToInput, formatMoney, MAX_RATE_CENTS, parseAmount } from "../../../web/src/lib/money.js";
import { leads, teamsToWatch } from "../../../web/src/lib/access.js";

describe("money", () => {
  it("reads a typed decimal amount as exact integer cents, with a point or a comma", () => {
    expect(parseAmount("85")).toEqual({ ok: true, cents: 8500 });
    expect(parseAmount("85.5")).toEqual({ ok: true, cents: 8550 });
    expect(parseAmount(" 85,50 ")).toEqual({ ok: true, cents: 8550 });
    expect(parseAmount("0.07")).toEqual({ ok: true, cents: 7 });
    // 0.29 * 100 is 28.999… in floating point; the digits are read as digits.
    expect(parseAmount("0.29")).toEqual({ ok: true, cents: 29 });
    expect(parseAmount("0")).toEqual({ ok: true, cents: 0 });
    expect(parseAmount("100000")).toEqual({ ok: true, cents: MAX_RATE_CENTS });
  });

  it("reads empty text as no rate, and refuses anything else", () => {
    expect(parseAmount("")).toEqual({ ok: true, cents: null });
    expect(parseAmount("   ")).toEqual({ ok: true, cents: null });
    for (const text of ["-5", "+5", "1,000.00", "1.234", "85.5.0", "€85", "abc", "1e3", ".5", "100000.01"]) {
      expect(parseAmount(text), text).toEqual({ ok: false });
    }
  });

  it("shows cents as the locale's money, and as the text to edit", () => {
    expect(formatMoney(8550, "EUR", "en-GB")).toBe("€85.50");
    expect(formatMoney(8550, "EUR", "de-DE")).toMatch(/^85,50\s€$/);
    expect(formatMoney(0, "USD", "en-US")).toBe("$0.00");
    expect(centsToInput(8550, "en-GB")).toBe("85.50");
    expect(centsToInput(123456, "de-DE")).toBe("1234,56");
    expect(centsToInput(null, "en-GB")).toBe("");
    expect(parseAmount(centsToInput(123456, "de-DE"))).toEqual({ ok: true, cents: 123456 });
  });
});

describe("who sees the Team screen", () => {
  const design = { id: 1, members: [{ username: "Leo", lead: true }, { username: "mia", lead: false }] };
  const ops = { id: 2, members: [{ username: "mia", lead: true }] };

  it("is a lead of a team where their member entry says lead, names compared case-insensitively", () => {
    expect(leads(design, "leo")).toBe(true);
    expect(leads(design, "mia")).toBe(false);
    expect(leads(design, "nobody")).toBe(false);
  });

  it("watches the teams a member leads, and every team for an owner or admin", () => {
    expect(teamsToWatch([design, ops], "mia", "member")).toEqual([ops]);
    expect(teamsToWatch([design], "mia", "member")).toEqual([]);
    expect(teamsToWatch([design, ops], "ann", "admin")).toEqual([design, ops]);
    expect(teamsToWatch([design, ops], "ann", "owner")).toEqual([design, ops]);
  });
});
