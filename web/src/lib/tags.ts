/**
 * An entry's tags as the API takes them: 0–20 names of 1–50 characters after trimming, the same
 * name (compared case-insensitively) once. No DOM, no API.
 */

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;

const same = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

export type TagsAdded = { readonly tags: readonly string[]; readonly problem: string | null };

/**
 * `typed` added to `tags`: split at commas, each trimmed, empty pieces dropped, a name already
 * there (in any case) kept once; a known name takes its stored spelling. A piece that is too
 * long, or one past the 20th, is not added, and `problem` says why.
 */
export function addTags(tags: readonly string[], typed: string, known: readonly string[] = []): TagsAdded {
  const result = [...tags];
  let problem: string | null = null;
  for (const piece of typed.split(",")) {
    const name = piece.trim();
    if (name === "" || result.some((tag) => same(tag, name))) continue;
    if (name.length > MAX_TAG_LENGTH) {
      problem = `A tag has at most ${MAX_TAG_LENGTH} characters.`;
      continue;
    }
    if (result.length >= MAX_TAGS) {
      problem = `An entry has at most ${MAX_TAGS} tags.`;
      continue;
    }
    result.push(known.find((k) => same(k, name)) ?? name);
  }
  return { tags: result, problem };
}

/** `tags` without `name` (compared case-insensitively). */
export function removeTag(tags: readonly string[], name: string): string[] {
  return tags.filter((tag) => !same(tag, name));
}

/** Whether two tag lists name the same tags, whatever their order and case. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag) => b.some((other) => same(tag, other)));
}

/** The known names to suggest: those not chosen yet, starting with what is typed first, then containing it. */
export function tagSuggestions(known: readonly string[], chosen: readonly string[], typed: string, limit = 8): string[] {
  const text = typed.trim().toLocaleLowerCase();
  const open = known.filter((name) => !chosen.some((tag) => same(tag, name)));
  if (text === "") return open.slice(0, limit);
  const starting = open.filter((name) => name.toLocaleLowerCase().startsWith(text));
  const containing = open.filter((name) => !name.toLocaleLowerCase().startsWith(text) && name.toLocaleLowerCase().includes(text));
  return [...starting, ...containing].slice(0, limit);
}
