import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { TokenNotFound } from "../../../domain/errors.js";
import { sessionCaller } from "../auth.js";
import { pathId, presentApiToken } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

const tokenId = (raw: string): number => pathId(raw, (id) => new TokenNotFound(id));

/** API tokens for scripts and integrations; managing them needs a login session (behind the auth hook). */
export function apiTokenRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };
    const sessionOnly = " Needs a login session: with an API token, 403 SESSION_REQUIRED.";

    app.post(
      "/tokens",
      {
        schema: {
          tags: ["tokens"],
          operationId: "createApiToken",
          summary: "Make an API token for a script or an integration",
          description: "The secret is in this answer only; the service keeps its SHA-256." + sessionOnly,
          security,
          body: ref(S.NewApiToken),
          response: { 201: ref(S.ApiTokenCreation), ...errors },
        },
      },
      async (request, reply) => {
        const { token, secret } = await useCases.createApiToken.execute({
          actor: sessionCaller(request),
          name: request.body.name,
          scope: request.body.scope,
          expiresInDays: request.body.expires_in_days,
        });
        return reply.code(201).send({ token: presentApiToken(token), secret });
      },
    );

    app.get(
      "/tokens",
      {
        schema: {
          tags: ["tokens"],
          operationId: "listApiTokens",
          summary: "Your API tokens, newest first (expired ones too; never their secrets)",
          description: sessionOnly.trim(),
          security,
          response: { 200: ref(S.ApiTokenList), ...errors },
        },
      },
      async (request) => {
        const tokens = await useCases.listApiTokens.execute({ actor: sessionCaller(request) });
        return { tokens: tokens.map(presentApiToken) };
      },
    );

    app.delete(
      "/tokens/:id",
      {
        schema: {
          tags: ["tokens"],
          operationId: "deleteApiToken",
          summary: "Revoke one of your API tokens; it stops working at once",
          description: sessionOnly.trim(),
          security,
          params: S.IdParams,
          response: { 204: { type: "null", description: "Revoked" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.deleteApiToken.execute({ actor: sessionCaller(request), id: tokenId(request.params.id) });
        return reply.code(204).send();
      },
    );
  };
}
