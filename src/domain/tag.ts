import { ValidationFailed } from "./errors.js";
import { nameKey, parseName, sortByName } from "./names.js";

export type TagId = number;

export interface Tag {
  readonly id: TagId;
  /** As first written. */
  readonly name: string;
}

export const TAG_NAME_MAX = 50;
export const TAGS_PER_ENTRY_MAX = 20;

/**
 * The tags a request gives an entry: each trimmed, 1-50 characters; the same name twice (by the
 * name rule) counts once, spelled as it first appears; at most 20 after that. Sorted as names sort.
 */
export function parseTags(raw: readonly string[], field = "tags"): string[] {
  const byKey = new Map<string, string>();
  for (const item of raw) {
    const name = parseName(item, field, TAG_NAME_MAX);
    const key = nameKey(name);
    if (!byKey.has(key)) byKey.set(key, name);
  }
  if (byKey.size > TAGS_PER_ENTRY_MAX) {
    throw new ValidationFailed(field, `must name at most ${TAGS_PER_ENTRY_MAX} different tags`);
  }
  return sortByName([...byKey.values()], (name) => name);
}
