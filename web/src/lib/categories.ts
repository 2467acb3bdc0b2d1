/** Category chips: names ordered by most recent use in the given entries, then the rest by name. */
export function categoriesByRecentUse(
  entries: readonly { readonly category: string; readonly start_time: string }[],
  all: readonly string[],
): string[] {
  const lastUse = new Map<string, number>();
  for (const entry of entries) {
    const at = Date.parse(entry.start_time);
    if ((lastUse.get(entry.category) ?? -Infinity) < at) lastUse.set(entry.category, at);
  }
  const used = [...lastUse.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const seen = new Set(used.map((name) => name.toLocaleLowerCase()));
  const rest = all.filter((name) => !seen.has(name.toLocaleLowerCase())).sort((a, b) => a.localeCompare(b));
  return [...used, ...rest];
}

/** The known category a typed name means (compared case-insensitively), or null for a new one. */
export function matchCategory(typed: string, all: readonly string[]): string | null {
  const wanted = typed.trim().toLocaleLowerCase();
  if (wanted === "") return null;
  return all.find((name) => name.toLocaleLowerCase() === wanted) ?? null;
}
