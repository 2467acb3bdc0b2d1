import type { VerifiedIdentity } from "../../domain/single-sign-on.js";

/**
 * What the browser must bring back from the provider for the sign-in to count: kept by the driver
 * between the redirect and the callback (the service keeps nothing of it).
 */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  /** PKCE's code verifier; the provider saw only its S256 challenge. */
  readonly codeVerifier: string;
}

/** Thrown when the provider cannot be reached or answers nonsense: the API answers 503. */
export class IdentityProviderUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IdentityProviderUnavailable";
  }
}

/** An OpenID Connect provider, spoken to with the authorization code flow and PKCE. */
export interface IdentityProvider {
  /** Where to send the browser, and what its return must match. */
  begin(): Promise<{ readonly url: URL; readonly pending: PendingSignIn }>;
  /**
   * Checks the provider's answer (the callback's query) against `pending` (state, then the code
   * exchanged with the PKCE verifier, the ID token's signature, issuer, audience, expiry and
   * nonce) and returns who signed in. Throws UNAUTHENTICATED when any check fails, and
   * IdentityProviderUnavailable when the provider cannot be reached.
   */
  complete(callbackQuery: string, pending: PendingSignIn): Promise<VerifiedIdentity>;
}
