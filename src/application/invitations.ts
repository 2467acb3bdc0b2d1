import { InvitationNotFound, ValidationFailed } from "../domain/errors.js";
import { checkManagesInvitations, INVITABLE_ROLES } from "../domain/policy.js";
import type { Role, User } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { Invitation, InvitationId, InvitationRepository } from "./ports/invitation-repository.js";
import type { TokenGenerator } from "./ports/security.js";

export const INVITATION_HOURS_DEFAULT = 168;
export const INVITATION_HOURS_MAX = 720;

export interface CreatedInvitation {
  readonly invitation: Invitation;
  /** Shown once; only its hash is kept. */
  readonly code: string;
}

/** An admin makes an invitation code: one registration, with the role it names, until it expires. */
export class CreateInvitation {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly actor: User; readonly role?: Role | undefined; readonly expiresInHours?: number | undefined }): Promise<CreatedInvitation> {
    checkManagesInvitations(input.actor);
    const role = input.role ?? "member";
    if (!INVITABLE_ROLES.some((invitable) => invitable === role)) {
      throw new ValidationFailed("role", `must be one of ${INVITABLE_ROLES.join(", ")}`);
    }
    const hours = input.expiresInHours ?? INVITATION_HOURS_DEFAULT;
    if (!Number.isInteger(hours) || hours < 1 || hours > INVITATION_HOURS_MAX) {
      throw new ValidationFailed("expires_in_hours", `must be a whole number of hours from 1 to ${INVITATION_HOURS_MAX}`);
    }
    const now = this.clock.now();
    const { token: code, tokenHash: codeHash } = this.tokens.issue();
    const invitation = await this.invitations.add({
      codeHash,
      role,
      createdBy: input.actor.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
    });
    return { invitation, code };
  }
}

/** The invitations that can still be used, newest first (admins). */
export class ListInvitations {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly actor: User }): Promise<Invitation[]> {
    checkManagesInvitations(input.actor);
    return this.invitations.listUsable(this.clock.now());
  }
}

/** Withdraws an unused invitation (admins); a used or unknown one is INVITATION_NOT_FOUND. */
export class DeleteInvitation {
  constructor(private readonly invitations: InvitationRepository) {}

  async execute(input: { readonly actor: User; readonly id: InvitationId }): Promise<void> {
    checkManagesInvitations(input.actor);
    if (!(await this.invitations.remove(input.id))) throw new InvitationNotFound(input.id);
  }
}
