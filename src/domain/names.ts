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
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
