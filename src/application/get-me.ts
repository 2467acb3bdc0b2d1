import { Unauthenticated } from "../domain/errors.js";
import type { User, UserId } from "../domain/user.js";
import type { UserRepository } from "./ports/user-repository.js";

export class GetMe {
  constructor(private readonly users: UserRepository) {}

  async execute(input: { readonly userId: UserId }): Promise<User> {
    const user = await this.users.findById(input.userId);
    if (!user) throw new Unauthenticated("The token's user no longer exists");
    return user;
  }
}
