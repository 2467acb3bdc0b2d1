import type { FastifyReply, FastifyRequest } from "fastify";
import { Forbidden, InsufficientScope, SessionRequired, Unauthenticated } from "../../domain/errors.js";
import { isApiTokenSecret, scopeAllows } from "../../domain/api-token.js";
import type { User } from "../../domain/user.js";
import { nameKey } from "../../domain/names.js";
import type { Authenticate } from "../../application/authenticate.js";
import type { AuthenticateApiToken } from "../../application/api-tokens.js";
import { checkCookieRequest, cookieToken } from "./session-cookie.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller and the token it used; set by the auth hook on protected routes. */
    auth: { readonly user: User; readonly token: string; readonly kind: CredentialKind } | null;
  }
}

/**
 * What the caller authenticated with: a login session (POST /login, or the web app's cookie), or
 * an API token for scripts (`tt_…`, POST /tokens), which cannot manage credentials.
 */
export type CredentialKind = "session" | "api-token";

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i;

/** The token from `Authorization: Bearer <token>`, or null when there is none of that form. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = BEARER.exec(header);
  return match ? (match[1] ?? null) : null;
}

/**
 * An onRequest hook for protected routes: resolves the caller or answers 401. The bearer token
 * wins; with no Authorization header at all, the web app's session cookie is taken, and a write
 * made with it must pass the CSRF check (403 otherwise).
 */
export function authHook(authenticate: Authenticate, authenticateApiToken: AuthenticateApiToken) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    let token = bearerToken(request.headers.authorization);
    // A bearer `tt_…` is an API token: its scope decides which methods it may use.
    if (token && isApiTokenSecret(token)) {
      const { user, scope } = await authenticateApiToken.execute({ secret: token });
      if (!scopeAllows(scope, request.method)) throw new InsufficientScope();
      request.auth = { user, token, kind: "api-token" };
      return;
    }
    if (!token && request.headers.authorization === undefined) {
      token = cookieToken(request);
      if (token) checkCookieRequest(request);
    }
    if (!token) throw new Unauthenticated("Send 'Authorization: Bearer <token>' (POST /login gives one)");
    const user = await authenticate.execute({ token });
    request.auth = { user, token, kind: "session" };
  };
}

/** The caller on a protected route (the hook has run). */
export function caller(request: FastifyRequest): User {
  if (!request.auth) throw new Unauthenticated();
  return request.auth.user;
}

/**
 * The caller, who must have signed in with a login session: managing tokens, webhooks, the
 * password, two-factor login and the account itself is refused to an API token (403 SESSION_REQUIRED).
 */
export function sessionCaller(request: FastifyRequest): User {
  const user = caller(request);
  if (request.auth?.kind !== "session") throw new SessionRequired();
  return user;
}

/**
 * The seed's bodies named the user an entry is for. They still may, but only as the caller: the
 * token says who (403 otherwise).
 */
export function checkNamesCaller(user: User, username: string | undefined): void {
  if (username !== undefined && nameKey(username) !== nameKey(user.username)) {
    throw new Forbidden("An entry can only be logged for yourself");
  }
}
