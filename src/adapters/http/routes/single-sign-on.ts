import { hkdfSync } from "node:crypto";
import { Signer } from "@fastify/cookie";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { TSchema } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Unauthenticated } from "../../../domain/errors.js";
import { formatInstant } from "../../../domain/instant.js";
import type { UserId } from "../../../domain/user.js";
import type { PendingSignIn } from "../../../application/ports/identity-provider.js";
import { problemOf, sendProblem } from "../problem.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import { cookieToken, setSessionCookie } from "../session-cookie.js";
import type { UseCases } from "../use-cases.js";

export const LOGIN_PATH = "/auth/oidc/login";
export const CALLBACK_PATH = "/auth/oidc/callback";

/**
 * Between the redirect to the provider and its callback, the browser keeps what the callback
 * must match (state, nonce, the PKCE verifier, and whom to link) in this cookie: signed with a
 * key derived from OIDC_CLIENT_SECRET (so every process and instance of one deployment reads it,
 * and nobody can forge one), httpOnly, for /auth/oidc only, ten minutes, used once. SameSite=Lax,
 * not Strict: the callback is a top-level navigation from the provider's site, and a browser
 * sends a Strict cookie on no cross-site navigation at all; Lax sends it on a cross-site
 * top-level GET and on nothing else (no cross-site POST, image or frame).
 */
export const PENDING_COOKIE = "tt_oidc";
const PENDING_PATH = "/auth/oidc";
const PENDING_SECONDS = 600;

interface PendingCookie extends PendingSignIn {
  readonly link: UserId | null;
  /** Unix seconds after which the cookie is refused, whatever the browser kept. */
  readonly until: number;
}

export interface SingleSignOnRouteOptions {
  /** The key the pending cookie is signed with; null when single sign-on is off. */
  readonly clientSecret: string | null;
}

function signerFor(clientSecret: string): Signer {
  const key = Buffer.from(hkdfSync("sha256", clientSecret, "time-tracker", "oidc pending sign-in cookie", 32));
  return new Signer(key, "sha256");
}

function readPending(request: FastifyRequest, signer: Signer, now: number): PendingCookie {
  const raw = request.cookies[PENDING_COOKIE];
  const unsigned = raw === undefined ? null : signer.unsign(raw);
  if (unsigned?.valid) {
    try {
      const pending = JSON.parse(Buffer.from(unsigned.value, "base64url").toString("utf8")) as Partial<PendingCookie>;
      const strings = [pending.state, pending.nonce, pending.codeVerifier].every((value) => typeof value === "string");
      const link = pending.link === null || (typeof pending.link === "number" && Number.isSafeInteger(pending.link));
      if (strings && link && typeof pending.until === "number" && pending.until > now) return pending as PendingCookie;
    } catch {
      // A cookie signed by us is always JSON; fall through to the refusal.
    }
  }
  throw new Unauthenticated(
    "This single sign-on was not started in this browser, or took longer than 10 minutes: start again at " + LOGIN_PATH,
  );
}

function pendingCookieOptions(request: FastifyRequest) {
  return { path: PENDING_PATH, httpOnly: true, sameSite: "lax", secure: request.server.sessionCookie.secure } as const;
}

function clearPending(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(PENDING_COOKIE, pendingCookieOptions(request));
}

/**
 * Single sign-on with OpenID Connect (public routes): whether it is on, the redirect to the
 * provider, and the callback that signs the browser in with the web app's session cookie. With
 * single sign-on off, login and callback answer 404 as an unknown route would.
 */
export function singleSignOnRoutes(useCases: UseCases, options: SingleSignOnRouteOptions): FastifyPluginAsyncTypebox {
  return async (app) => {
    const signer = options.clientSecret === null ? null : signerFor(options.clientSecret);
    const enabled = () => signer !== null && useCases.beginSingleSignOn.enabled;
    const off = (request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, problemOf("NOT_FOUND", `No route for ${request.method} ${request.url.split("?")[0]}`));
    const redirect = { type: "null", description: "A redirect (Location): what a browser gets" } as const;
    /** A public route that answers a browser with a redirect and a client that asks for JSON with `ok`. */
    const redirecting = <Q extends TSchema, R extends TSchema>(operationId: string, summary: string, description: string, querystring: Q, ok: R) => ({
      tags: ["users"],
      operationId,
      summary,
      description,
      security: [],
      querystring,
      response: { 200: ok, 302: redirect, "4xx": problem, "5xx": problem },
    });
    // A browser follows redirects; a client that asks for JSON gets the same answer as data.
    const wantsJson = (request: FastifyRequest) => request.accepts().type(["text/html", "application/json"]) === "application/json";

    app.get(
      "/auth/oidc",
      {
        schema: {
          tags: ["users"],
          operationId: "getSingleSignOn",
          summary: "Whether single sign-on (OpenID Connect) is on, and where it starts",
          security: [],
          response: { 200: ref(S.SingleSignOnStatus), "4xx": problem, "5xx": problem },
        },
      },
      async () => ({ enabled: enabled(), login_url: enabled() ? LOGIN_PATH : null }),
    );

    app.get(
      LOGIN_PATH,
      {
        schema: redirecting(
          "beginSingleSignOn",
          "Sign in with single sign-on: redirects the browser to the OpenID provider",
          "Authorization code flow with PKCE (S256), state and nonce, kept until the callback in a signed, " +
            "httpOnly, SameSite=Lax cookie for /auth/oidc (10 minutes). With `link=true`, a user signed in to " +
            "the web app links the provider's account to theirs instead. 404 when single sign-on is not configured. " +
            "With `Accept: application/json`, 200 with the URL instead of the redirect (the cookie is the same).",
          S.SingleSignOnLoginQuery,
          ref(S.SingleSignOnStart),
        ),
      },
      async (request, reply) => {
        if (!signer || !enabled()) return off(request, reply);
        let link: UserId | null = null;
        if (request.query.link === true) {
          const token = cookieToken(request);
          if (!token) throw new Unauthenticated("Sign in to the web app first to link a single sign-on account");
          link = (await useCases.authenticate.execute({ token })).id;
        }
        const { url, pending } = await useCases.beginSingleSignOn.execute();
        const cookie: PendingCookie = { ...pending, link, until: Math.floor(Date.now() / 1000) + PENDING_SECONDS };
        reply.setCookie(PENDING_COOKIE, signer.sign(Buffer.from(JSON.stringify(cookie)).toString("base64url")), {
          ...pendingCookieOptions(request),
          maxAge: PENDING_SECONDS,
        });
        reply.header("cache-control", "no-store");
        if (wantsJson(request)) return { authorization_url: url.href };
        return reply.redirect(url.href, 302);
      },
    );

    app.get(
      CALLBACK_PATH,
      {
        schema: redirecting(
          "completeSingleSignOn",
          "Where the OpenID provider sends the browser back: signs it in and redirects to the web app",
          "Checks state, exchanges the code with the PKCE verifier, verifies the ID token (signature, issuer, " +
            "audience, expiry, nonce), finds the account linked to the provider's `sub` (or makes one, with " +
            "OIDC_AUTO_REGISTER=true), sets the web app's session cookie and redirects to `/`. Any failed check: " +
            "401 UNAUTHENTICATED; a `sub` linked to no account: 403 FORBIDDEN. 404 when single sign-on is not configured. " +
            "With `Accept: application/json`, 200 with who signed in instead of the redirect (the cookie is the same).",
          S.SingleSignOnCallbackQuery,
          ref(S.SingleSignOnDone),
        ),
      },
      async (request, reply) => {
        if (!signer || !enabled()) return off(request, reply);
        const pending = readPending(request, signer, Math.floor(Date.now() / 1000));
        // Used once, whatever the outcome: a second try starts again at the login route.
        clearPending(request, reply);
        const result = await useCases.completeSingleSignOn.execute({
          callbackQuery: new URL(request.url, "http://callback.invalid").search,
          pending,
          linkTo: pending.link,
        });
        const signedIn = result.kind === "signed-in";
        if (signedIn) setSessionCookie(request, reply, result.token, result.expiresAt);
        reply.header("cache-control", "no-store");
        if (!wantsJson(request)) return reply.redirect("/", 302);
        return {
          message: signedIn ? "Login successful" : "Single sign-on account linked",
          user_id: result.user.id,
          username: result.user.username,
          linked: !signedIn,
          expires_at: signedIn ? formatInstant(result.expiresAt) : null,
        };
      },
    );
  };
}
