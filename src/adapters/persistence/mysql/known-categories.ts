import type { Category, CategoryId } from "../../../domain/category.js";

const MAX_REMEMBERED = 10_000;

/** Sets `key` in `map`, which starts over when it holds MAX_REMEMBERED others. */
function keep<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_REMEMBERED && !map.has(key)) map.clear();
  map.set(key, value);
}

/**
 * Categories as this process has read them: names by id, and the answer the database gave to a
 * lookup by name, keyed by the exact string asked (never by a normalised form, so no rule of
 * ours stands in for the column's collation).
 *
 * Categories are never renamed or deleted through the API and their names are unique, so an
 * answer once read stays true, in this process and in any other on the same database. This
 * spares a time entry's write the round trips of finding its category by name and of reading
 * its name back. A name that was not found is not remembered: another process may create it.
 * Bounded: when full it starts over.
 */
export class KnownCategories {
  private readonly names = new Map<CategoryId, string>();
  private readonly byAskedName = new Map<string, Category>();

  remember(category: Category): Category {
    keep(this.names, category.id, category.name);
    return category;
  }

  nameOf(id: CategoryId): string | undefined {
    return this.names.get(id);
  }

  /** Remembers that looking up `asked` found `category`. */
  found(asked: string, category: Category): Category {
    keep(this.byAskedName, asked, category);
    return this.remember(category);
  }

  /** What looking up exactly `asked` found before, if it was found. */
  lookedUp(asked: string): Category | undefined {
    return this.byAskedName.get(asked);
  }
}
