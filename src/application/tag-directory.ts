import { nameKey } from "../domain/names.js";
import type { TagId } from "../domain/tag.js";
import type { TagRepository } from "./ports/tag-repository.js";

/** The tags a write names: the ids of those that exist, and the names not found (to be made). */
export interface TagLookup {
  readonly ids: readonly TagId[];
  readonly missing: readonly string[];
}

/** A lookup that knows nothing yet: every name is resolved inside the unit of work. */
export function unresolvedTags(names: readonly string[]): TagLookup {
  return { ids: [], missing: names };
}

/** How many tags a process remembers before it starts again from none (about 1 MB). */
const DIRECTORY_CAPACITY = 10_000;

/**
 * The instance's tags by name, remembered in this process. A tag is never renamed or deleted,
 * so a tag once read from committed data stays true for good, whatever other processes write:
 * a write naming only tags it knows needs no statement for them inside its unit of work.
 *
 * Ask it outside any unit of work only. A tag another transaction has made but not committed
 * (it may still roll back) is then invisible, and so never remembered.
 */
export class TagDirectory {
  private readonly byKey = new Map<string, TagId>();

  constructor(
    private readonly tags: TagRepository,
    private readonly capacity = DIRECTORY_CAPACITY,
  ) {}

  async lookup(names: readonly string[]): Promise<TagLookup> {
    const keys = names.map(nameKey);
    const found = new Map<string, TagId>();
    const unknown: string[] = [];
    keys.forEach((key, i) => {
      const id = this.byKey.get(key);
      if (id === undefined) unknown.push(names[i] as string);
      else found.set(key, id);
    });
    if (unknown.length > 0) {
      for (const tag of await this.tags.findByNames(unknown)) {
        const key = nameKey(tag.name);
        found.set(key, tag.id);
        if (this.byKey.size >= this.capacity) this.byKey.clear();
        this.byKey.set(key, tag.id);
      }
    }
    const ids: TagId[] = [];
    const missing: string[] = [];
    keys.forEach((key, i) => {
      const id = found.get(key);
      if (id === undefined) missing.push(names[i] as string);
      else ids.push(id);
    });
    return { ids, missing };
  }
}
