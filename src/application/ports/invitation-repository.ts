import type { Role, UserId } from "../../domain/user.js";

export type InvitationId = number;

export interface Invitation {
  readonly id: InvitationId;
  readonly role: Role;
  readonly createdBy: UserId | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface NewInvitation {
  /** SHA-256 of the code (hex); the code itself is shown once and never stored. */
  readonly codeHash: string;
  readonly role: Role;
  readonly createdBy: UserId;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface InvitationRepository {
  add(invitation: NewInvitation): Promise<Invitation>;
  /** The unused invitation with this code hash that expires after `now`, or null. */
  findUsable(codeHash: string, now: Date): Promise<Invitation | null>;
  /** Records its use; false when it was used already (the other registration won). */
  markUsed(id: InvitationId, userId: UserId, now: Date): Promise<boolean>;
  /** Unused invitations that expire after `now`, newest first. */
  listUsable(now: Date): Promise<Invitation[]>;
  /** Returns whether an unused invitation was removed. */
  remove(id: InvitationId): Promise<boolean>;
}
