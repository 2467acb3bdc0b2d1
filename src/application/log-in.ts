import { InvalidCredentials, RateLimited, TotpRequired } from "../domain/errors.js";
import { nameKey } from "../domain/names.js";
import type { User } from "../domain/user.js";
import type { SecondFactor } from "./accounts.js";
import type { Clock } from "./ports/clock.js";
import type { LoginThrottle } from "./ports/login-throttle.js";
import type { PasswordHasher, TokenGenerator } from "./ports/security.js";
import type { SessionRepository } from "./ports/session-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

export interface LogInInput {
  readonly username: string;
  readonly password: string;
  /** A current TOTP code or an unused recovery code; needed when the user has two-factor login on. */
  readonly totpCode?: string | undefined;
}

export interface LoggedIn {
  readonly user: User;
  readonly token: string;
  readonly expiresAt: Date;
}

/** Verified against when the user does not exist, so both failures cost one password check. */
const DUMMY_PASSWORD = "not-a-real-password-but-as-costly-to-check";

export class LogIn {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenGenerator,
    private readonly clock: Clock,
    private readonly sessionTtlSeconds: number,
    private readonly throttle: LoginThrottle,
    private readonly secondFactor: SecondFactor,
  ) {}

  /**
   * INVALID_CREDENTIALS for an unknown user and a wrong password alike; RATE_LIMITED once a
   * username has had too many failures, whatever the password (a correct one included). With
   * two-factor login on, a right password needs a code too: none is TOTP_REQUIRED (not a failure:
   * it is the first half of such a login), a wrong or used one INVALID_CREDENTIALS (a failure).
   */
  async execute(input: LogInInput): Promise<LoggedIn> {
    const key = nameKey(input.username);
    const wait = await this.throttle.retryAfterSeconds(key, this.clock.now());
    if (wait > 0) throw new RateLimited(wait);

    const user = await this.users.findByUsername(input.username);
    const hash = user ? user.passwordHash : await this.dummy();
    const valid = await this.hasher.verify(hash, input.password);
    // A deactivated user gets the answer of a wrong password, after the same one verification.
    if (!user || !valid || !user.active) {
      await this.throttle.recordFailure(key, this.clock.now());
      throw new InvalidCredentials();
    }
    const totp = await this.secondFactor.enabled(user);
    if (totp) {
      if (input.totpCode === undefined) throw new TotpRequired();
      if (!(await this.secondFactor.accept(user, totp, input.totpCode))) {
        await this.throttle.recordFailure(key, this.clock.now());
        throw new InvalidCredentials();
      }
    }
    await this.throttle.reset(key);

    let current = user;
    if (this.hasher.needsRehash(user.passwordHash)) {
      // A legacy bcrypt hash (or weaker parameters) is replaced now that we know the password.
      const passwordHash = await this.hasher.hash(input.password);
      await this.users.updatePasswordHash(user.id, passwordHash);
      current = { ...user, passwordHash };
    }

    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.sessionTtlSeconds * 1000);
    const { token, tokenHash } = this.tokens.issue();
    await this.sessions.add({ tokenHash, userId: user.id, createdAt: now, expiresAt });
    return { user: current, token, expiresAt };
  }

  /** Hashed once and kept; a failed attempt is forgotten, so the next login tries again. */
  private dummy(): Promise<string> {
    if (!this.dummyHash) {
      const pending = this.hasher.hash(DUMMY_PASSWORD);
      this.dummyHash = pending;
      pending.catch(() => {
        if (this.dummyHash === pending) this.dummyHash = undefined;
      });
    }
    return this.dummyHash;
  }
}
