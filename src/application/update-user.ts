import { LastOwner, UserNotFound } from "../domain/errors.js";
import { checkUserChange, endsOwnership, type UserChange } from "../domain/policy.js";
import { checkRateCents, type User } from "../domain/user.js";
import { instanceScope, type Transactor } from "./ports/transactor.js";

export interface UpdateUserInput {
  /** A signed-in user, whom the role policy applies to, or the operator at the users command. */
  readonly actor: User | "operator";
  readonly username: string;
  readonly changes: UserChange;
}

/**
 * Changes a user's role, whether they are active, and their rate. The last active owner cannot
 * lose the role or be deactivated (LAST_OWNER), also when two such changes arrive at once: both
 * run under the instance's lock, and the second sees the first's result.
 */
export class UpdateUser {
  constructor(private readonly transactor: Transactor) {}

  async execute(input: UpdateUserInput): Promise<User> {
    const changes = input.changes;
    if (changes.hourlyRateCents !== undefined) checkRateCents(changes.hourlyRateCents);
    return this.transactor.run(instanceScope(), async ({ users }) => {
      const target = await users.findByUsername(input.username);
      if (!target) throw new UserNotFound(input.username);
      if (input.actor !== "operator") checkUserChange(input.actor, target, changes);
      if (endsOwnership(target, changes) && (await users.countActiveOwners()) <= 1) throw new LastOwner();
      const updated = await users.update(target.id, changes);
      if (!updated) throw new UserNotFound(input.username);
      return updated;
    });
  }
}
