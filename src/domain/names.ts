/**
 * Names (usernames, category names) compare the way MySQL's utf8mb4_unicode_ci collation does at
 * its primary level: case and accents are ignored ("Café" = "cafe", "STRASSE" = "straße").
 * Every store uses this key, so they all agree on what counts as "the same name".
 */
export function nameKey(name: string): string {
  return name
    .trim()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .toLowerCase();
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
