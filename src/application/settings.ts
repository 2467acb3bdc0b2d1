import { parseInstant, truncateToSecond } from "../domain/instant.js";
import { checkManagesSettings } from "../domain/policy.js";
import type { User } from "../domain/user.js";
import type { RegistrationPolicy } from "./register-user.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";
import type { Tag } from "../domain/tag.js";

/** The instance's settings as everyone may read them: two from the environment, one kept. */
export interface Settings {
  readonly registration: RegistrationPolicy;
  readonly lockBefore: Date | null;
  readonly currency: string;
}

export interface EnvironmentSettings {
  readonly registration: RegistrationPolicy;
  readonly currency: string;
}

export class GetSettings {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly environment: EnvironmentSettings,
  ) {}

  async execute(): Promise<Settings> {
    return { ...this.environment, lockBefore: (await this.settings.get()).lockBefore };
  }
}

/** Admins set or lift the locked period; the rest comes from the environment. */
export class UpdateSettings {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly environment: EnvironmentSettings,
  ) {}

  async execute(input: { readonly actor: User; readonly lockBefore: string | null }): Promise<Settings> {
    checkManagesSettings(input.actor);
    const lockBefore = input.lockBefore === null ? null : truncateToSecond(parseInstant(input.lockBefore, "lock_before"));
    return { ...this.environment, lockBefore: (await this.settings.setLockBefore(lockBefore)).lockBefore };
  }
}

export class ListTags {
  constructor(private readonly tags: TagRepository) {}

  execute(): Promise<Tag[]> {
    return this.tags.list();
  }
}
