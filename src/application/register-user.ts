import { InviteInvalid, InviteRequired, RegistrationClosed } from "../domain/errors.js";
import { checkNewPassword, parseNewUsername, type Role, type User } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { PasswordHasher, TokenGenerator } from "./ports/security.js";
import { instanceScope, type Transactor } from "./ports/transactor.js";

/** Who may register: anyone, holders of an invitation code, or nobody (the first user aside). */
export const REGISTRATION_POLICIES = ["open", "invite", "closed"] as const;
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

export interface RegisterUserInput {
  readonly username: string;
  readonly password: string;
  /** An invitation code: needed under `invite`; when given, it must be valid, and gives its role. */
  readonly inviteCode?: string | undefined;
}

export class RegisterUser {
  constructor(
    private readonly transactor: Transactor,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
    private readonly policy: RegistrationPolicy,
  ) {}

  /**
   * The first account of an instance with no users becomes its owner, whatever the policy; every
   * later one a member, or the role of its invitation. Throws VALIDATION_FAILED for a bad name or
   * password, USERNAME_TAKEN, REGISTRATION_CLOSED, INVITE_REQUIRED or INVITE_INVALID.
   */
  async execute(input: RegisterUserInput): Promise<User> {
    const username = parseNewUsername(input.username);
    const password = checkNewPassword(input.password);
    const passwordHash = await this.hasher.hash(password);
    const codeHash = input.inviteCode === undefined ? null : this.tokens.hashOf(input.inviteCode);

    // Under the instance's lock: of two first registrations one is the owner, and of two
    // registrations with one code one wins. The name's uniqueness is the store's unique index.
    return this.transactor.run(instanceScope(), async ({ users, invitations }) => {
      const now = this.clock.now();
      const first = await users.isEmpty();
      const invitation = codeHash === null ? null : await invitations.findUsable(codeHash, now);
      if (!first) {
        if (this.policy === "closed") throw new RegistrationClosed();
        if (codeHash !== null && invitation === null) throw new InviteInvalid();
        if (this.policy === "invite" && invitation === null) throw new InviteRequired();
      }
      const role: Role = first ? "owner" : (invitation?.role ?? "member");
      const user = await users.add({ username, passwordHash, createdAt: now, role });
      if (invitation !== null && !(await invitations.markUsed(invitation.id, user.id, now))) {
        throw new InviteInvalid();
      }
      return user;
    });
  }
}
