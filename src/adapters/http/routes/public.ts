import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatInstant } from "../../../domain/instant.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import { startCookieSession } from "../session-cookie.js";
import type { UseCases } from "../use-cases.js";

/** Routes anyone may call: health, registration, login. */
export function publicRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/health",
      {
        schema: {
          tags: ["health"],
          operationId: "checkHealth",
          summary: "Service and database health",
          security: [],
          response: {
            200: ref(S.Health),
            503: ref(S.Health),
            // A request the router cannot take (a malformed URL) is a 400 before any handler runs.
            "4xx": problem,
          },
        },
      },
      async (_request, reply) => {
        const health = await useCases.checkHealth.execute();
        return reply
          .code(health.healthy ? 200 : 503)
          .send({ status: health.healthy ? "healthy" : "unhealthy", checks: { database: health.database } });
      },
    );

    app.post(
      "/register",
      {
        // Counted in the store, so the limit holds across worker processes and instances.
        onRequest: async (request) => useCases.limitRegistrations.execute(request.ip),
        schema: {
          tags: ["users"],
          operationId: "registerUser",
          summary: "Register a user",
          description:
            "The first account of an instance becomes its owner; later ones are members, or get the role of " +
            "their invitation. Under REGISTRATION=invite an invite_code is needed; under closed nobody registers.",
          security: [],
          body: ref(S.NewAccount),
          response: { 201: ref(S.Registration), "4xx": problem, "5xx": problem },
        },
      },
      async (request, reply) => {
        const { username, password, invite_code: inviteCode } = request.body;
        const user = await useCases.registerUser.execute({ username, password, inviteCode });
        return reply.code(201).send({
          message: "User registered successfully",
          user_id: user.id,
          username: user.username,
          created_at: formatInstant(user.createdAt),
        });
      },
    );

    app.post(
      "/login",
      {
        schema: {
          tags: ["users"],
          operationId: "logIn",
          summary: "Log in and receive a bearer token",
          security: [],
          body: ref(S.Credentials),
          response: { 200: ref(S.LoginResult), "4xx": problem, "5xx": problem },
        },
      },
      async (request, reply) => {
        const { user, token, expiresAt } = await useCases.logIn.execute({
          username: request.body.username,
          password: request.body.password,
          totpCode: request.body.totp_code,
        });
        // The web app asks for the httpOnly cookie instead; its scripts never see the token.
        const inCookie = startCookieSession(request, reply, token, expiresAt);
        return {
          message: "Login successful",
          authenticated: true,
          user_id: user.id,
          username: user.username,
          token: inCookie ? "" : token,
          access_token: inCookie ? "" : token,
          token_type: "Bearer" as const,
          expires_at: formatInstant(expiresAt),
        };
      },
    );
  };
}
