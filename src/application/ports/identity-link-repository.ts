import type { UserId } from "../../domain/user.js";

/** An account's link to a person at an OpenID provider: (issuer, sub) → user. */
export interface IdentityLink {
  readonly issuer: string;
  readonly subject: string;
  readonly userId: UserId;
  readonly createdAt: Date;
}

export interface IdentityLinkRepository {
  /** The user linked to `subject` at `issuer` (compared exactly, case and all), or null. */
  findUser(issuer: string, subject: string): Promise<UserId | null>;
  /**
   * Links (issuer, subject) to a user; false when that pair is linked already (to anyone), which
   * is then left as it was. A user may have links at several issuers, and more than one at one.
   */
  add(link: IdentityLink): Promise<boolean>;
  /** The user's links, oldest first. */
  listForUser(userId: UserId): Promise<IdentityLink[]>;
}
