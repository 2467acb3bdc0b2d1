import type { User, UserId } from "../domain/user.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface UserPage {
  readonly users: User[];
  /** The id to continue after, or null on the last page. */
  readonly nextAfterId: UserId | null;
}

export class ListUsers {
  constructor(private readonly users: UserRepository) {}

  async execute(input: { readonly afterId: UserId | null; readonly limit: number }): Promise<UserPage> {
    // One extra row tells whether another page follows, without counting.
    const rows = await this.users.list({ afterId: input.afterId, limit: input.limit + 1 });
    const users = rows.slice(0, input.limit);
    const last = users.at(-1);
    return { users, nextAfterId: rows.length > input.limit && last ? last.id : null };
  }
}
