import { createHash, randomBytes } from "node:crypto";
import type { IssuedToken, TokenGenerator } from "../../application/ports/security.js";

/** 256 random bits, base64url; the store keeps only the SHA-256 (hex) of a token. */
export class RandomTokenGenerator implements TokenGenerator {
  issue(): IssuedToken {
    const token = randomBytes(32).toString("base64url");
    return { token, tokenHash: this.hashOf(token) };
  }

  hashOf(token: string): string {
    return createHash("sha256").update(token, "utf8").digest("hex");
  }
}
