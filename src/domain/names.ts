import { ValidationFailed } from "./errors.js";

/**
 * The rule for names (usernames, category names), ours and the same on every store: a name's key
 * is the trimmed name in Unicode NFKD with its combining marks dropped and its case folded, and
 * two names are the same name when their keys are equal. So "Café" = "cafe", "STRASSE" =
 * "straße", "ＷＯＲＫ" = "work", "İ" = "ı" = "i"; but "ø" ≠ "o" and "æ" ≠ "ae" (no marks to drop),
 * and a zero-width space makes a different name. Every store keeps this key beside the name, with
 * a unique index on it, and compares by it, so a change here needs every stored key recomputed.
 */
export function nameKey(name: string): string {
  return name
    .trim()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .toLowerCase();
}

/**
 * A name as it is stored: first written, trimmed, 1 to `max` characters (code points); throws
 * VALIDATION_FAILED for the input field `field` otherwise.
 */
export function parseName(raw: string, field: string, max: number): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > max) throw new ValidationFailed(field, `must be 1-${max} characters after trimming`);
  return name;
}

/** Orders names as the listing does: by their key, then by their text for a stable order. */
export function compareNames(a: string, b: string): number {
  return compareKeyed(nameKey(a), a, nameKey(b), b);
}

function compareKeyed(keyA: string, a: string, keyB: string, b: string): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `items` in the order of compareNames, each name's key computed once (or taken from `keyOf`,
 * when the caller has it stored) rather than twice per comparison.
 */
export function sortByName<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  keyOf: (item: T) => string = (item) => nameKey(nameOf(item)),
): T[] {
  return items
    .map((item) => ({ item, name: nameOf(item), key: keyOf(item) }))
    .sort((a, b) => compareKeyed(a.key, a.name, b.key, b.name))
    .map(({ item }) => item);
}
