import { createHash, randomBytes } from "node:crypto";
import { isApiTokenSecret } from "../../domain/api-token.js";
import type { IssuedToken, TokenGenerator } from "../../application/ports/security.js";

const TOKEN_BYTES = 32;

/**
 * 256 random bits, base64url; the store keeps only the SHA-256 (hex) of a token. A draw that
 * would begin with the API token prefix (`tt_`, about one in 262,144) is drawn again: a bearer
 * token with that prefix is taken for an API token, so such a login session would never work.
 */
export class RandomTokenGenerator implements TokenGenerator {
  constructor(private readonly random: (size: number) => Buffer = randomBytes) {}

  issue(): IssuedToken {
    let token = this.draw();
    while (isApiTokenSecret(token)) token = this.draw();
    return { token, tokenHash: this.hashOf(token) };
  }

  hashOf(token: string): string {
    return createHash("sha256").update(token, "utf8").digest("hex");
  }

  private draw(): string {
    return this.random(TOKEN_BYTES).toString("base64url");
  }
}
