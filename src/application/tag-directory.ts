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
  /** Reads under way, by key: the items of a batch that name one new tag read it once. */
  private readonly reading = new Map<string, Promise<TagId | null>>();

  constructor(
    private readonly tags: TagRepository,
    private readonly capacity = DIRECTORY_CAPACITY,
  ) {}

  async lookup(names: readonly string[]): Promise<TagLookup> {
    const keys = names.map(nameKey);
    const unread: { name: string; key: string }[] = [];
    keys.forEach((key, i) => {
      if (!this.byKey.has(key) && !this.reading.has(key)) unread.push({ name: names[i] as string, key });
    });
    if (unread.length > 0) {
      const read = this.tags.findByNames(unread.map(({ name }) => name));
      unread.forEach(({ key }, i) => {
        const one = read.then((tags) => tags[i]?.id ?? null);
        this.reading.set(key, one);
        // Once read, by the key the request asked for: remembered if found, forgotten either way.
        void one.then(
          (id) => {
            this.reading.delete(key);
            if (id === null) return;
            if (this.byKey.size >= this.capacity) this.byKey.clear();
            this.byKey.set(key, id);
          },
          () => this.reading.delete(key),
        );
      });
    }
    const found = await Promise.all(keys.map((key) => this.byKey.get(key) ?? this.reading.get(key) ?? null));
    const ids: TagId[] = [];
    const missing: string[] = [];
    found.forEach((id, i) => {
      if (id === null) missing.push(names[i] as string);
      else ids.push(id);
    });
    return { ids, missing };
  }
}
