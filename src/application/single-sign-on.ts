import { Forbidden, InvalidCredentials, UsernameTaken } from "../domain/errors.js";
import { ssoUsernameBase, ssoUsernameCandidate, type VerifiedIdentity } from "../domain/single-sign-on.js";
import type { Role, User, UserId } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { IdentityProvider, PendingSignIn } from "./ports/identity-provider.js";
import type { PasswordHasher, TokenGenerator } from "./ports/security.js";
import type { SessionRepository } from "./ports/session-repository.js";
import { instanceScope, type Repositories, type Transactor } from "./ports/transactor.js";
import type { UserRepository } from "./ports/user-repository.js";

/** Names tried in turn for a new account (ann, ann-2, … ann-20) before a random suffix. */
const NAME_ATTEMPTS = 20;

/** Sends the browser to the provider: the URL, and what the driver keeps until the callback. */
export class BeginSingleSignOn {
  constructor(private readonly provider: IdentityProvider | null) {}

  /** Whether single sign-on is configured (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). */
  get enabled(): boolean {
    return this.provider !== null;
  }

  execute(): Promise<{ readonly url: URL; readonly pending: PendingSignIn }> {
    if (!this.provider) throw new Error("single sign-on is not configured");
    return this.provider.begin();
  }
}

export interface CompleteSingleSignOnInput {
  /** The callback's query string, as the provider sent the browser back. */
  readonly callbackQuery: string;
  readonly pending: PendingSignIn;
  /** Set when a signed-in user started the flow to link this sign-in to their account. */
  readonly linkTo: UserId | null;
}

export type SingleSignOnResult =
  | { readonly kind: "signed-in"; readonly user: User; readonly token: string; readonly expiresAt: Date }
  | { readonly kind: "linked"; readonly user: User };

/**
 * The provider's answer, verified, becomes a login session for the account linked to its
 * (issuer, sub); a signed-in user's flow links it to their account instead. An unknown `sub`
 * makes a new account only with OIDC_AUTO_REGISTER (the instance's first becomes its owner, as
 * with POST /register); otherwise it is FORBIDDEN. Never linked by e-mail: only `sub` counts.
 */
export class CompleteSingleSignOn {
  constructor(
    private readonly provider: IdentityProvider | null,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly transactor: Transactor,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
    private readonly sessionTtlSeconds: number,
    private readonly autoRegister: boolean,
  ) {}

  async execute(input: CompleteSingleSignOnInput): Promise<SingleSignOnResult> {
    if (!this.provider) throw new Error("single sign-on is not configured");
    const identity = await this.provider.complete(input.callbackQuery, input.pending);
    if (input.linkTo !== null) return { kind: "linked", user: await this.link(identity, input.linkTo) };

    const linked = await this.transactor.run(instanceScope(), (repos) => repos.identityLinks.findUser(identity.issuer, identity.subject));
    const userId = linked ?? (await this.register(identity));
    const user = await this.users.findById(userId);
    // A deactivated user is refused as at POST /login.
    if (!user || !user.active) throw new InvalidCredentials();

    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.sessionTtlSeconds * 1000);
    const { token, tokenHash } = this.tokens.issue();
    await this.sessions.add({ tokenHash, userId: user.id, createdAt: now, expiresAt });
    return { kind: "signed-in", user, token, expiresAt };
  }

  /** Links the identity to `userId`, unless it is another account's (FORBIDDEN). */
  private link(identity: VerifiedIdentity, userId: UserId): Promise<User> {
    return this.transactor.run(instanceScope(), async ({ users, identityLinks }) => {
      const user = await users.findById(userId);
      if (!user || !user.active) throw new InvalidCredentials();
      const owner = await identityLinks.findUser(identity.issuer, identity.subject);
      if (owner === null) await identityLinks.add({ issuer: identity.issuer, subject: identity.subject, userId, createdAt: this.clock.now() });
      else if (owner !== userId) throw new Forbidden("This single sign-on account is linked to another user already");
      return user;
    });
  }

  /**
   * A new account for an unknown `sub` (OIDC_AUTO_REGISTER), under the instance's lock: of two
   * first sign-ins of one person at once, one makes the account and the other finds its link.
   */
  private async register(identity: VerifiedIdentity): Promise<UserId> {
    if (!this.autoRegister) {
      throw new Forbidden("No account is linked to this single sign-on account; ask an admin, or sign in and link it");
    }
    // Nobody knows this password: the account signs in with its provider only.
    const passwordHash = await this.hasher.hash(this.tokens.issue().token);
    return this.transactor.run(instanceScope(), async (repos) => {
      const existing = await repos.identityLinks.findUser(identity.issuer, identity.subject);
      if (existing !== null) return existing;
      const now = this.clock.now();
      const role: Role = (await repos.users.isEmpty()) ? "owner" : "member";
      const user = await this.addWithFreeName(repos, identity, { passwordHash, createdAt: now, role });
      await repos.identityLinks.add({ issuer: identity.issuer, subject: identity.subject, userId: user.id, createdAt: now });
      return user.id;
    });
  }

  private async addWithFreeName(
    { users }: Repositories,
    identity: VerifiedIdentity,
    fields: { passwordHash: string; createdAt: Date; role: Role },
  ): Promise<User> {
    const base = ssoUsernameBase(identity);
    for (let attempt = 1; attempt <= NAME_ATTEMPTS + 1; attempt++) {
      const username =
        attempt <= NAME_ATTEMPTS
          ? ssoUsernameCandidate(base, attempt)
          : ssoUsernameCandidate(`${base}-${this.tokens.issue().tokenHash.slice(0, 8)}`, 1);
      if ((await users.findByUsername(username)) !== null) continue;
      try {
        return await users.add({ username, ...fields });
      } catch (error) {
        if (!(error instanceof UsernameTaken)) throw error;
      }
    }
    throw new UsernameTaken(base);
  }
}
