import type { Category, CategoryId } from "../../domain/category.js";

/** Thrown by `add` when a category of that name exists already (case-insensitively). */
export class CategoryNameTaken extends Error {
  constructor(readonly categoryName: string) {
    super(`Category '${categoryName}' exists already`);
    this.name = "CategoryNameTaken";
  }
}

export interface CategoryRepository {
  /** Adds a category; throws CategoryNameTaken when the name exists. */
  add(name: string): Promise<Category>;
  findById(id: CategoryId): Promise<Category | null>;
  /** Case- and accent-insensitive. */
  findByName(name: string): Promise<Category | null>;
  /** Every category, sorted by name case-insensitively. */
  list(): Promise<Category[]>;
}
