import type { FastifyReply, FastifyRequest } from "fastify";
import { Forbidden } from "../../domain/errors.js";

/**
 * The web app's session: the same opaque token POST /login gives bearer clients, kept in an
 * httpOnly, SameSite=Strict cookie that page scripts cannot read (Secure when PUBLIC_URL is
 * https). A client asks for it with this header on POST /login; every cookie-authenticated write
 * must carry the same header (a cross-site form or image cannot send one) and, when the browser
 * sends an Origin, come from the instance's own origin.
 */
export const SESSION_COOKIE = "tt_session";
export const WEB_CLIENT_HEADER = "x-requested-with";
export const WEB_CLIENT_VALUE = "time-tracker-web";

export interface SessionCookieSettings {
  /** PUBLIC_URL's origin, e.g. https://time.example.com. */
  readonly publicOrigin: string;
  /** Whether the cookie is Secure (PUBLIC_URL is https). */
  readonly secure: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    sessionCookie: SessionCookieSettings;
  }
}

/** Whether the request comes from the web app (it sends the custom header). */
export function fromWebApp(request: FastifyRequest): boolean {
  return request.headers[WEB_CLIENT_HEADER] === WEB_CLIENT_VALUE;
}

/**
 * On a web-app login, sets the session cookie and answers true (the response then leaves the
 * token out of its body, so no script sees it); on any other login does nothing.
 */
export function startCookieSession(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): boolean {
  if (!fromWebApp(request)) return false;
  setSessionCookie(request, reply, token, expiresAt);
  return true;
}

/** Sets the web app's session cookie (a web-app login, or a single sign-on callback). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: request.server.sessionCookie.secure,
    expires: expiresAt,
  });
}

/** Clears the session cookie (POST /logout); harmless when there is none. */
export function endCookieSession(request: FastifyRequest, reply: FastifyReply): void {
  if (request.cookies[SESSION_COOKIE] === undefined) return;
  reply.clearCookie(SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: request.server.sessionCookie.secure,
  });
}

/** The session cookie's token, if the request has one. */
export function cookieToken(request: FastifyRequest): string | null {
  const value = request.cookies[SESSION_COOKIE];
  return value && /^[A-Za-z0-9._~+/=-]{1,512}$/.test(value) ? value : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for a cookie-authenticated request: a write must carry the web app's header and,
 * when there is an Origin, come from PUBLIC_URL's origin or the origin of the request's own Host.
 */
export function checkCookieRequest(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (!fromWebApp(request)) {
    throw new Forbidden(`A cookie-authenticated ${request.method} must send '${WEB_CLIENT_HEADER}: ${WEB_CLIENT_VALUE}'`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const own = `${request.protocol}://${request.host}`;
  if (origin !== request.server.sessionCookie.publicOrigin && origin !== own) {
    throw new Forbidden("Cross-origin requests may not use the session cookie");
  }
}
