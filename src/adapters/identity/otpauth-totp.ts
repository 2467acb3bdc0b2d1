import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { TotpAuthenticator } from "../../application/ports/two-factor.js";

const ISSUER = "Time Tracker";
const PERIOD_SECONDS = 30;
/** One step either side of now: a phone's clock a little off, or a code typed as it turned. */
const WINDOW = 1;
const SEALED = "aes256gcm:";
const PLAIN = "plain:";

function totp(secret: string, label = "account"): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/**
 * TOTP per RFC 6238 (SHA-1, 6 digits, 30 s) with the `otpauth` package. The service must read a
 * secret back to check a code, so it cannot keep only a hash: with a key (TOTP_ENCRYPTION_KEY,
 * 32 bytes) every secret is stored sealed with AES-256-GCM (random 96-bit nonce, the tag checked
 * on every read), so a copy of the database alone does not give the secrets; without one it is
 * stored as it is, as safe as the database. A secret stored plainly is still read once a key is
 * set (new ones are then sealed); a sealed one cannot be read without its key.
 */
export class OtpauthTotpAuthenticator implements TotpAuthenticator {
  constructor(private readonly key: Buffer | null) {
    if (key && key.length !== 32) throw new Error("The TOTP encryption key must be 32 bytes");
  }

  newSecret(): { secret: string; sealed: string } {
    const secret = new Secret({ size: 20 }).base32;
    return { secret, sealed: this.seal(secret) };
  }

  url(secret: string, account: string): string {
    return totp(secret, account).toString();
  }

  matchingStep(sealed: string, code: string, now: Date): number | null {
    const timestamp = now.getTime();
    const delta = totp(this.open(sealed)).validate({ token: code, timestamp, window: WINDOW });
    return delta === null ? null : TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  }

  recoveryCodes(count: number): string[] {
    // 80 random bits each, as four groups of four base32 letters and digits ("k3m9-q2xa-…").
    return Array.from({ length: count }, () => {
      const base32 = new Secret({ buffer: Uint8Array.from(randomBytes(10)).buffer }).base32.toLowerCase();
      return base32.match(/.{4}/g)!.join("-");
    });
  }

  private seal(secret: string): string {
    if (!this.key) return PLAIN + secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  private open(sealed: string): string {
    if (sealed.startsWith(PLAIN)) return sealed.slice(PLAIN.length);
    if (!sealed.startsWith(SEALED)) throw new Error("A stored TOTP secret has an unknown form");
    if (!this.key) throw new Error("A stored TOTP secret is sealed, and TOTP_ENCRYPTION_KEY is not set");
    const raw = Buffer.from(sealed.slice(SEALED.length), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }
}
