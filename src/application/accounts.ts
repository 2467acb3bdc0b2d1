import { InvalidCredentials, LastOwner, RateLimited, SessionNotFound, TotpAlreadyEnabled, TotpNotEnabled } from "../domain/errors.js";
import { nameKey } from "../domain/names.js";
import { isTotpCode, normalizeRecoveryCode, normalizeTotpCode, RECOVERY_CODE_COUNT } from "../domain/two-factor.js";
import { checkNewPassword, type User } from "../domain/user.js";
import type { Clock } from "./ports/clock.js";
import type { LoginThrottle } from "./ports/login-throttle.js";
import type { PasswordHasher, TokenGenerator } from "./ports/security.js";
import type { SessionRepository } from "./ports/session-repository.js";
import { instanceScope, userScope, type Transactor } from "./ports/transactor.js";
import type { TotpAuthenticator, TotpState, TwoFactorRepository } from "./ports/two-factor.js";
import type { UserRepository } from "./ports/user-repository.js";

/**
 * The second factor: a TOTP code of a step later than the last one used, or an unused recovery
 * code. Either is accepted once, by a conditional write, so of two logins with one code at once
 * exactly one wins.
 */
export class SecondFactor {
  constructor(
    private readonly twoFactor: TwoFactorRepository,
    private readonly totp: TotpAuthenticator,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  /** The user's TOTP state when it is on, else null. */
  async enabled(user: User): Promise<TotpState | null> {
    const state = await this.twoFactor.find(user.id);
    return state?.enabledAt ? state : null;
  }

  /** Whether `code` is accepted now (and used up). */
  async accept(user: User, state: TotpState, code: string): Promise<boolean> {
    const now = this.clock.now();
    if (isTotpCode(code)) {
      const step = this.totp.matchingStep(state.sealedSecret, normalizeTotpCode(code), now);
      return step !== null && (await this.twoFactor.useStep(user.id, step));
    }
    const recovery = normalizeRecoveryCode(code);
    return recovery !== "" && (await this.twoFactor.useRecoveryCode(user.id, this.tokens.hashOf(recovery), now));
  }

  /** The hash a recovery code is stored as. */
  hashOfRecoveryCode(code: string): string {
    return this.tokens.hashOf(normalizeRecoveryCode(code));
  }
}

/**
 * Checks a signed-in user's password or second-factor code again before a change to the account.
 * A wrong one counts towards the login throttle of the username, as a failed login does, so a
 * stolen session cannot be used to guess either faster than a login could.
 */
export class AccountGuard {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly secondFactor: SecondFactor,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  async password(user: User, password: string): Promise<void> {
    await this.check(user, () => this.hasher.verify(user.passwordHash, password));
  }

  async code(user: User, state: TotpState, code: string): Promise<void> {
    await this.check(user, () => this.secondFactor.accept(user, state, code));
  }

  /** A check that `accepted` makes: RATE_LIMITED while throttled, INVALID_CREDENTIALS when it fails. */
  async check(user: User, accepted: () => Promise<boolean>): Promise<void> {
    const key = nameKey(user.username);
    const wait = await this.throttle.retryAfterSeconds(key, this.clock.now());
    if (wait > 0) throw new RateLimited(wait);
    if (!(await accepted())) {
      await this.throttle.recordFailure(key, this.clock.now());
      throw new InvalidCredentials();
    }
  }
}

/** POST /me/password: the current password, then the new one (rules as at registration); other sessions end. */
export class ChangePassword {
  constructor(
    private readonly guard: AccountGuard,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenGenerator,
  ) {}

  async execute(input: { readonly actor: User; readonly token: string; readonly currentPassword: string; readonly newPassword: string }): Promise<void> {
    checkNewPassword(input.newPassword, "new_password");
    await this.guard.password(input.actor, input.currentPassword);
    await this.users.updatePasswordHash(input.actor.id, await this.hasher.hash(input.newPassword));
    await this.sessions.removeOthers(input.actor.id, this.tokens.hashOf(input.token));
  }
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** The session this request was made with. */
  readonly current: boolean;
}

/** GET /me/sessions: the caller's live sessions, newest first. */
export class ListSessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly actor: User; readonly token: string }): Promise<SessionView[]> {
    const own = this.tokens.hashOf(input.token);
    const sessions = await this.sessions.listByUser(input.actor.id, this.clock.now());
    return sessions.map(({ id, createdAt, expiresAt, tokenHash }) => ({ id, createdAt, expiresAt, current: tokenHash === own }));
  }
}

/** DELETE /me/sessions/{id}: ends one of the caller's sessions; anyone else's is SESSION_NOT_FOUND. */
export class EndSession {
  constructor(private readonly sessions: SessionRepository) {}

  async execute(input: { readonly actor: User; readonly id: string }): Promise<void> {
    if (!(await this.sessions.removeById(input.actor.id, input.id))) throw new SessionNotFound(input.id);
  }
}

/**
 * DELETE /me: with the password, the account goes, with its entries and sessions (and by foreign
 * key everything else of it). The last active owner cannot go (LAST_OWNER), also when two owners
 * delete themselves at once: the check and the removal hold the instance's lock.
 */
export class DeleteAccount {
  constructor(
    private readonly guard: AccountGuard,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: { readonly actor: User; readonly password: string }): Promise<void> {
    await this.guard.password(input.actor, input.password);
    await this.transactor.run(instanceScope(), async ({ users }) => {
      const user = await users.findById(input.actor.id);
      if (!user) return;
      if (user.role === "owner" && user.active && (await users.countActiveOwners()) <= 1) {
        throw new LastOwner("The last active owner cannot delete the account; make someone else an owner first");
      }
      await users.remove(user.id);
    });
  }
}

/** POST /me/totp: a new secret, not on until a code of it is confirmed. */
export class StartTotp {
  constructor(
    private readonly twoFactor: TwoFactorRepository,
    private readonly totp: TotpAuthenticator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly actor: User }): Promise<{ secret: string; url: string }> {
    const state = await this.twoFactor.find(input.actor.id);
    if (state?.enabledAt) throw new TotpAlreadyEnabled();
    const { secret, sealed } = this.totp.newSecret();
    await this.twoFactor.savePending(input.actor.id, sealed, this.clock.now());
    return { secret, url: this.totp.url(secret, input.actor.username) };
  }
}

/** GET /me's `totp_enabled`: whether two-factor login is on (a set-up not yet confirmed is not). */
export class TwoFactorStatus {
  constructor(private readonly secondFactor: SecondFactor) {}

  async execute(input: { readonly actor: User }): Promise<boolean> {
    return (await this.secondFactor.enabled(input.actor)) !== null;
  }
}

/** POST /me/totp/confirm: a code of the pending secret turns TOTP on and gives the recovery codes. */
export class ConfirmTotp {
  constructor(
    private readonly guard: AccountGuard,
    private readonly secondFactor: SecondFactor,
    private readonly twoFactor: TwoFactorRepository,
    private readonly totp: TotpAuthenticator,
    private readonly clock: Clock,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: { readonly actor: User; readonly code: string }): Promise<string[]> {
    const state = await this.twoFactor.find(input.actor.id);
    if (!state) throw new TotpNotEnabled("There is no two-factor setup to confirm: start with POST /me/totp");
    if (state.enabledAt) throw new TotpAlreadyEnabled();
    const code = normalizeTotpCode(input.code);
    const step = isTotpCode(code) ? this.totp.matchingStep(state.sealedSecret, code, this.clock.now()) : null;
    await this.guard.check(input.actor, async () => step !== null);
    const codes = this.totp.recoveryCodes(RECOVERY_CODE_COUNT);
    const hashes = codes.map((recovery) => this.secondFactor.hashOfRecoveryCode(recovery));
    // The secret goes on together with its recovery codes, or not at all.
    const enabled = await this.transactor.run(userScope(input.actor.id), ({ twoFactor }) =>
      twoFactor.enable(input.actor.id, step ?? 0, hashes, this.clock.now()),
    );
    if (!enabled) throw new TotpAlreadyEnabled();
    return codes;
  }
}

/** DELETE /me/totp: a current code or an unused recovery code turns TOTP off. */
export class DisableTotp {
  constructor(
    private readonly guard: AccountGuard,
    private readonly secondFactor: SecondFactor,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: { readonly actor: User; readonly code: string }): Promise<void> {
    const state = await this.secondFactor.enabled(input.actor);
    if (!state) throw new TotpNotEnabled();
    await this.guard.code(input.actor, state, input.code);
    await this.transactor.run(userScope(input.actor.id), ({ twoFactor }) => twoFactor.remove(input.actor.id));
  }
}
