import type { UserId } from "../../domain/user.js";

/** A user's TOTP secret as stored: sealed by the TotpAuthenticator, readable only by it. */
export interface TotpState {
  readonly sealedSecret: string;
  /** Null while the secret waits for its first code (POST /me/totp/confirm). */
  readonly enabledAt: Date | null;
  /** The last time step a code was accepted for; a code of it or an earlier step is refused. */
  readonly lastStep: number | null;
}

/** Per-user TOTP secrets and recovery codes (the latter only as hashes). */
export interface TwoFactorRepository {
  find(userId: UserId): Promise<TotpState | null>;
  /** Stores a secret that is not on yet, replacing one that is not on yet either. */
  savePending(userId: UserId, sealedSecret: string, now: Date): Promise<void>;
  /**
   * Turns the pending secret on, having accepted the code of `step`, with these recovery code
   * hashes (replacing any); false when there is no pending secret any more.
   */
  enable(userId: UserId, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean>;
  /**
   * Records `step` as used if it is later than the last used one, in one conditional write:
   * of two uses of one step at once, exactly one gets true.
   */
  useStep(userId: UserId, step: number): Promise<boolean>;
  /** Marks an unused recovery code used, in one conditional write: of two uses at once, one gets true. */
  useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean>;
  /** How many recovery codes are left unused. */
  unusedRecoveryCodes(userId: UserId): Promise<number>;
  /** Turns TOTP off: the secret and the recovery codes are gone. */
  remove(userId: UserId): Promise<void>;
}

/** RFC 6238 (SHA-1, 6 digits, 30 s), with the secret sealed for storage. */
export interface TotpAuthenticator {
  /** A new random secret: base32 for the user, sealed for the store. */
  newSecret(): { readonly secret: string; readonly sealed: string };
  /** The otpauth:// URL an authenticator app reads (as a QR code, mostly). */
  url(secret: string, account: string): string;
  /** The time step whose code `code` is (the current one, or one step either side), or null. */
  matchingStep(sealed: string, code: string, now: Date): number | null;
  /** `count` new random recovery codes, as shown to the user. */
  recoveryCodes(count: number): string[];
}
