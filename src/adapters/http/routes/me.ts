import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { TSchema } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { SessionNotFound } from "../../../domain/errors.js";
import { formatInstant } from "../../../domain/instant.js";
import { exportPieces } from "../account-export.js";
import { sessionCaller } from "../auth.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import { endCookieSession } from "../session-cookie.js";
import type { UseCases } from "../use-cases.js";

/** What the stores hand out as a session's public id (see session-ids.ts); anything else names none. */
const SESSION_ID = /^[0-9a-f]{32}$/;

const noContent = (description: string) => ({ 204: { type: "null", description }, "4xx": problem, "5xx": problem });
const answers = <T extends TSchema>(body: T) => ({ 200: ref(body), "4xx": problem, "5xx": problem });

/** The token of the login session this request was made with (sessionCaller has checked it is one). */
function sessionToken(request: FastifyRequest): string {
  return request.auth!.token;
}

/**
 * Your own account: password, sessions, export, deletion and two-factor login (behind the auth
 * hook). Each of these needs a login session: an API token gets 403 SESSION_REQUIRED.
 */
export function meRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const schema = <T extends object>(operationId: string, summary: string, rest: T) => ({
      tags: ["account"],
      operationId,
      summary,
      security: [{ bearer: [] }],
      ...rest,
    });

    app.post(
      "/me/password",
      {
        schema: schema("changePassword", "Change your password; every other session of yours ends (API tokens stay)", {
          body: ref(S.PasswordChange),
          response: noContent("Changed"),
        }),
      },
      async (request, reply) => {
        const actor = sessionCaller(request);
        await useCases.changePassword.execute({
          actor,
          token: sessionToken(request),
          currentPassword: request.body.current_password,
          newPassword: request.body.new_password,
        });
        return reply.code(204).send();
      },
    );

    app.get(
      "/me/sessions",
      {
        schema: schema("listSessions", "Your live login sessions, newest first", {
          response: answers(S.SessionList),
        }),
      },
      async (request) => {
        const sessions = await useCases.listSessions.execute({ actor: sessionCaller(request), token: sessionToken(request) });
        return {
          sessions: sessions.map((session) => ({
            id: session.id,
            created_at: formatInstant(session.createdAt),
            expires_at: formatInstant(session.expiresAt),
            current: session.current,
          })),
        };
      },
    );

    app.delete(
      "/me/sessions/:id",
      {
        schema: schema("endSession", "End one of your sessions (another user's is SESSION_NOT_FOUND)", {
          params: S.SessionParams,
          response: noContent("Ended"),
        }),
      },
      async (request, reply) => {
        const actor = sessionCaller(request);
        if (!SESSION_ID.test(request.params.id)) throw new SessionNotFound(request.params.id);
        await useCases.endSession.execute({ actor, id: request.params.id });
        return reply.code(204).send();
      },
    );

    app.get(
      "/me/export",
      {
        schema: schema("exportAccount", "Everything you own as one JSON document (streamed)", {
          response: answers(S.AccountExport),
        }),
      },
      async (request, reply) => {
        const actor = sessionCaller(request);
        // At most one piece waits ahead of the socket, as for the CSV export.
        const body = Readable.from(exportPieces(useCases, actor, new Date()), { highWaterMark: 1 });
        return reply
          .type("application/json; charset=utf-8")
          .header("content-disposition", `attachment; filename="time-tracker-export.json"`)
          // A stream is piped as it is; the response schema documents it and does not apply.
          .send(body as never);
      },
    );

    app.delete(
      "/me",
      {
        schema: schema("deleteAccount", "Delete your account with its entries, sessions and everything else of yours", {
          body: ref(S.AccountDeletion),
          response: noContent("Deleted"),
        }),
      },
      async (request, reply) => {
        await useCases.deleteAccount.execute({ actor: sessionCaller(request), password: request.body.password });
        endCookieSession(request, reply);
        return reply.code(204).send();
      },
    );

    app.post(
      "/me/totp",
      {
        schema: schema("startTotp", "Start setting up two-factor login: a new secret, not on until confirmed", {
          response: answers(S.TotpSetup),
        }),
      },
      async (request) => {
        const { secret, url } = await useCases.startTotp.execute({ actor: sessionCaller(request) });
        return { secret, otpauth_url: url };
      },
    );

    app.post(
      "/me/totp/confirm",
      {
        schema: schema("confirmTotp", "Turn two-factor login on with a current code; gives 10 recovery codes, once", {
          body: ref(S.TotpCode),
          response: answers(S.RecoveryCodes),
        }),
      },
      async (request) => ({
        recovery_codes: await useCases.confirmTotp.execute({ actor: sessionCaller(request), code: request.body.code }),
      }),
    );

    app.delete(
      "/me/totp",
      {
        schema: schema("disableTotp", "Turn two-factor login off with a current code or a recovery code", {
          body: ref(S.TotpCode),
          response: noContent("Turned off"),
        }),
      },
      async (request, reply) => {
        await useCases.disableTotp.execute({ actor: sessionCaller(request), code: request.body.code });
        return reply.code(204).send();
      },
    );
  };
}
