import type { Category, CategoryId } from "../../../domain/category.js";

const MAX_REMEMBERED = 10_000;

/**
 * Category names by id, as this process has read them. Categories are never renamed or deleted
 * through the API, so a name once read stays true; this spares a time entry's write the extra
 * round trip of reading its category's name back. Bounded: when full it starts over.
 */
export class CategoryNames {
  private readonly names = new Map<CategoryId, string>();

  remember(category: Category): Category {
    if (this.names.size >= MAX_REMEMBERED && !this.names.has(category.id)) this.names.clear();
    this.names.set(category.id, category.name);
    return category;
  }

  nameOf(id: CategoryId): string | undefined {
    return this.names.get(id);
  }
}
