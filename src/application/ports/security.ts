export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a hash it cannot read; never throws for those. */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** True when the hash is of an older scheme or weaker parameters and should be replaced. */
  needsRehash(passwordHash: string): boolean;
}

export interface IssuedToken {
  /** Handed to the client once. */
  readonly token: string;
  /** What the store keeps. */
  readonly tokenHash: string;
}

export interface TokenGenerator {
  /** A fresh random token; never one an API token could be taken for (see isApiTokenSecret). */
  issue(): IssuedToken;
  hashOf(token: string): string;
}
