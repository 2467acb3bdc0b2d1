import { parseCategoryName, type Category } from "../domain/category.js";
import { CategoryNameTaken, type CategoryRepository } from "./ports/category-repository.js";

export interface CategoryCreation {
  readonly category: Category;
  /** False when a category of that name (case-insensitively) existed already. */
  readonly created: boolean;
}

export class CreateCategory {
  constructor(private readonly categories: CategoryRepository) {}

  /** Idempotent, as the seed: an existing name returns the existing category. */
  async execute(input: { readonly name: string }): Promise<CategoryCreation> {
    const name = parseCategoryName(input.name);
    const existing = await this.categories.findByName(name);
    if (existing) return { category: existing, created: false };
    try {
      return { category: await this.categories.add(name), created: true };
    } catch (error) {
      if (!(error instanceof CategoryNameTaken)) throw error;
      // Lost a race with a concurrent creation of the same name: answer with the winner.
      const winner = await this.categories.findByName(name);
      if (!winner) throw error;
      return { category: winner, created: false };
    }
  }
}
