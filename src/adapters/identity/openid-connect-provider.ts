import * as client from "openid-client";
import { Unauthenticated } from "../../domain/errors.js";
import type { VerifiedIdentity } from "../../domain/single-sign-on.js";
import {
  IdentityProviderUnavailable,
  type IdentityProvider,
  type PendingSignIn,
} from "../../application/ports/identity-provider.js";
import type { OidcConfig } from "../../config.js";

/** How long one call to the provider (discovery, the token exchange, its keys) may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;
/** What the service asks for: who the person is, and a name to suggest for a new account. */
const SCOPE = "openid profile email";
/** The longest `sub` (and issuer) the stores keep. */
const SUBJECT_MAX = 255;

export interface OpenIdConnectOptions {
  /** `${PUBLIC_URL}/auth/oidc/callback`: registered at the provider as the client's redirect URI. */
  readonly redirectUri: string;
}

/**
 * The OpenID Connect relying party, on openid-client (v6): discovery of the issuer's metadata on
 * first use (repeated after a failure, so a provider that was down at start-up works once it is
 * up), the authorization code flow with PKCE (S256), `state` and `nonce`, the client
 * authenticated with its secret (client_secret_basic), and the ID token checked in full: issuer,
 * audience, expiry, nonce, and its signature against the provider's published keys (openid-client
 * checks the signature only with its non-repudiation checks on, which this turns on).
 */
export class OpenIdConnectProvider implements IdentityProvider {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(
    private readonly config: OidcConfig,
    private readonly options: OpenIdConnectOptions,
  ) {}

  async begin(): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.discovered();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.options.redirectUri,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: "S256",
    });
    return { url, pending };
  }

  async complete(callbackQuery: string, pending: PendingSignIn): Promise<VerifiedIdentity> {
    const configuration = await this.discovered();
    const callback = new URL(this.options.redirectUri);
    callback.search = callbackQuery;
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw refusal(error);
    }
    if (!claims) throw new Unauthenticated("Single sign-on failed: the provider sent no ID token");
    // OpenID Connect Core 2: a `sub` is at most 255 ASCII characters, which is what the stores keep.
    if (claims.sub.length > SUBJECT_MAX || claims.iss.length > SUBJECT_MAX) {
      throw new Unauthenticated("Single sign-on failed: the ID token's sub or iss is longer than 255 characters");
    }
    // Only a hint for a new account's name (Google sends no preferred_username, but an e-mail):
    // accounts are found by `sub` alone, never by a name or an e-mail address.
    const hint = [claims.preferred_username, claims.email].find((value) => typeof value === "string");
    return { issuer: claims.iss, subject: claims.sub, preferredUsername: typeof hint === "string" ? hint : null };
  }

  private discovered(): Promise<client.Configuration> {
    if (!this.configuration) {
      const insecure = this.config.issuer.protocol === "http:";
      const pending = client
        .discovery(this.config.issuer, this.config.clientId, { client_secret: this.config.clientSecret }, client.ClientSecretBasic(this.config.clientSecret), {
          timeout: PROVIDER_TIMEOUT_SECONDS,
          // Plain http only for an issuer on a loopback address (config.ts allows nothing else).
          execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
        })
        .catch((error: unknown) => {
          if (this.configuration === pending) this.configuration = undefined;
          throw new IdentityProviderUnavailable(`The single sign-on provider ${this.config.issuer.href} cannot be reached or described itself wrongly`, {
            cause: error,
          });
        });
      this.configuration = pending;
    }
    return this.configuration;
  }
}

/**
 * Why the provider's answer is not accepted: a check failed (401), or the provider could not be
 * asked (503). openid-client says which by the kind of error.
 */
function refusal(error: unknown): Error {
  const unreachable =
    (error instanceof client.ResponseBodyError && error.status >= 500) ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) ||
    (error instanceof TypeError && error.message === "fetch failed");
  if (unreachable) return new IdentityProviderUnavailable("The single sign-on provider cannot be reached", { cause: error });
  // openid-client wraps oauth4webapi's error, whose message says what failed ('unexpected ID
  // Token "nonce" claim value'); neither carries a secret.
  const cause = error instanceof Error ? error.cause : undefined;
  const reason =
    cause instanceof Error ? cause.message : error instanceof Error ? error.message : "the provider's answer was not accepted";
  return new Unauthenticated(`Single sign-on failed: ${reason}`);
}
