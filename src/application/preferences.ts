import { CategoryNotFound } from "../domain/errors.js";
import { parseDailyTargets, type DailyTarget } from "../domain/preferences.js";
import type { User } from "../domain/user.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { PreferenceRepository } from "./ports/preference-repository.js";
import { userScope, type Transactor } from "./ports/transactor.js";

export interface Preferences {
  readonly dailyTargets: readonly DailyTarget[];
}

/** The caller's own preferences; nobody reads another's. */
export class GetPreferences {
  constructor(private readonly preferences: PreferenceRepository) {}

  async execute(input: { readonly actor: User }): Promise<Preferences> {
    return { dailyTargets: await this.preferences.dailyTargets(input.actor.id) };
  }
}

/** Replaces the caller's daily targets; a category that does not exist is CATEGORY_NOT_FOUND. */
export class UpdatePreferences {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: { readonly actor: User; readonly dailyTargets: readonly DailyTarget[] }): Promise<Preferences> {
    const targets = parseDailyTargets(input.dailyTargets);
    if (targets.length > 0) {
      const known = new Set((await this.categories.list()).map((category) => category.id));
      const unknown = targets.find((target) => !known.has(target.categoryId));
      if (unknown) throw new CategoryNotFound(String(unknown.categoryId));
    }
    return this.transactor.run(userScope(input.actor.id), async ({ preferences }) => {
      await preferences.replaceDailyTargets(input.actor.id, targets);
      return { dailyTargets: await preferences.dailyTargets(input.actor.id) };
    });
  }
}
