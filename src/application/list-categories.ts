import type { Category } from "../domain/category.js";
import type { CategoryRepository } from "./ports/category-repository.js";

export class ListCategories {
  constructor(private readonly categories: CategoryRepository) {}

  execute(): Promise<Category[]> {
    return this.categories.list();
  }
}
