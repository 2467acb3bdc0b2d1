import { checkNewPassword, parseNewUsername, type User } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { PasswordHasher } from "./ports/security.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface RegisterUserInput {
  readonly username: string;
  readonly password: string;
}

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** Throws VALIDATION_FAILED for a bad name or password, USERNAME_TAKEN for a taken name. */
  async execute(input: RegisterUserInput): Promise<User> {
    const username = parseNewUsername(input.username);
    const password = checkNewPassword(input.password);
    const passwordHash = await this.hasher.hash(password);
    // Uniqueness is the store's unique index: of two concurrent registrations, exactly one wins.
    return this.users.add({ username, passwordHash, createdAt: this.clock.now() });
  }
}
