import argon2 from "argon2";
import bcrypt from "bcryptjs";
import type { PasswordHasher } from "../../application/ports/security.js";

/** OWASP's argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * argon2id for every new hash; bcrypt hashes left by the seed's service still verify (bcryptjs)
 * and are reported as due for a rehash, so they are replaced at the next successful login.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    if (BCRYPT.test(passwordHash)) return bcrypt.compare(password, passwordHash);
    if (!passwordHash.startsWith("$argon2")) return false;
    try {
      return await argon2.verify(passwordHash, password);
    } catch {
      // An unreadable hash verifies nothing; it is not an error the caller can act on.
      return false;
    }
  }

  needsRehash(passwordHash: string): boolean {
    if (!passwordHash.startsWith("$argon2")) return true;
    return argon2.needsRehash(passwordHash, ARGON2_OPTIONS);
  }
}
