/**
 * Money for people: amounts shown by Intl in the browser's language, typed as decimals
 * ("85.50" or "85,50"), and kept by the API as integer cents. No DOM, no API.
 */

/** Cents as the currency's amount, e.g. 8550 EUR in en-GB → "€85.50". */
export function formatMoney(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

/** Cents as the text to edit: two decimals with the locale's decimal sign and no grouping, e.g. "85.50"; "" for none. */
export function centsToInput(cents: number | null | undefined, locale: string): string {
  if (cents === null || cents === undefined) return "";
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false }).format(cents / 100);
}

export type ParsedAmount = { readonly ok: true; readonly cents: number | null } | { readonly ok: false };

/** The largest rate the API takes (integer cents). */
export const MAX_RATE_CENTS = 10_000_000;

/**
 * A typed amount as integer cents, exactly (no floating point): whole units with at most two
 * decimals after "." or ",", e.g. "85" → 8500, "85,5" → 8550, "0.07" → 7. Empty text is no
 * amount (null). Anything else (signs, grouping, a third decimal, over MAX_RATE_CENTS) is refused.
 */
export function parseAmount(text: string): ParsedAmount {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, cents: null };
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(trimmed);
  if (!match) return { ok: false };
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents <= MAX_RATE_CENTS ? { ok: true, cents } : { ok: false };
}

/** An hourly rate for a table, e.g. "€85.50 / h"; "—" for none. */
export function formatRate(cents: number | null | undefined, currency: string, locale: string): string {
  return cents === null || cents === undefined ? "—" : `${formatMoney(cents, currency, locale)} / h`;
}
