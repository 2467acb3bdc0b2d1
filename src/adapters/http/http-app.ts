import { randomUUID } from "node:crypto";
import accepts from "@fastify/accepts";
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import helmet from "helmet";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authHook } from "./auth.js";
import { errorHandler, problemOf, sendProblem } from "./problem.js";
import { accountRoutes } from "./routes/accounts.js";
import { meRoutes } from "./routes/me.js";
import { catalogRoutes } from "./routes/catalog.js";
import { entryRoutes } from "./routes/entries.js";
import { instanceRoutes } from "./routes/instance.js";
import { importRoutes } from "./routes/imports.js";
import { teamRoutes } from "./routes/teams.js";
import { publicRoutes } from "./routes/public.js";
import { singleSignOnRoutes } from "./routes/single-sign-on.js";
import { reportRoutes } from "./routes/reports.js";
import { apiTokenRoutes } from "./routes/api-tokens.js";
import { seedAppRoutes } from "./routes/seed-app.js";
import { allSchemas } from "./schemas.js";
import { integrationSchemas } from "./integration-schemas.js";
import { integrationRoutes } from "./routes/integrations.js";
import { registerWebApp } from "./web-app.js";
import type { UseCases } from "./use-cases.js";
import { jsonBodiesOnly, buildValidator } from "./validation.js";
import { registerMetrics, type MetricsOptions } from "./metrics.js";

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface HttpAppOptions {
  readonly useCases: UseCases;
  /** A pino logger, or false for none (tests). */
  readonly logger: FastifyBaseLogger | false;
  readonly version?: string;
  /** Origins allowed by CORS; none when empty. */
  readonly corsOrigins: readonly string[];
  /**
   * Addresses and CIDRs of reverse proxies whose X-Forwarded-For gives the client address
   * (request.ip: the registration limit, the request log). None when empty or left out: the
   * client address is the peer's, whatever the headers say.
   */
  readonly trustProxy?: readonly string[];
  /**
   * The address people open the web app at (default http://localhost:3000). Only when it is
   * https are HSTS and upgrade-insecure-requests sent and the session cookie Secure.
   */
  readonly publicUrl?: URL;
  /** GET /metrics and the request metrics; left out: no /metrics at all. */
  readonly metrics?: MetricsOptions;
  /** The built web app's folder; defaults to dist/web. */
  readonly webAppDir?: string;
  /** OIDC_CLIENT_SECRET, which signs single sign-on's pending cookie; null or left out: single sign-on is off. */
  readonly oidcClientSecret?: string | null;
}

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The Fastify driver: schemas, one error handler, the auth hook, the routes and the docs. */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A well-formed x-request-id from a proxy is kept, anything else replaced by a fresh one.
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    schemaController: { compilersFactory: { buildValidator } },
    return503OnClosing: true,
    // Errors the router raises before any hook runs (a malformed URL): the same problem+json.
    frameworkErrors: (error, request, reply) => {
      reply.header("x-request-id", request.id);
      errorHandler(error, request, reply);
    },
    forceCloseConnections: "idle",
    // Only a listed peer's X-Forwarded-For is read (proxy-addr, right to left, up to the first
    // address that is not a listed proxy); never `true` or a hop count, which any client could use.
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? [...options.trustProxy] : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest("auth", null);
  const publicUrl = options.publicUrl ?? new URL("http://localhost:3000");
  const https = publicUrl.protocol === "https:";
  app.decorate("sessionCookie", { publicOrigin: publicUrl.origin, secure: https });

  // Once closing starts, idle keep-alive sockets are closed by Fastify; those still busy would
  // stay open after their response and hold up close(). Tell them to close with that response.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  jsonBodiesOnly(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemOf("NOT_FOUND", `No route for ${request.method} ${request.url.split("?")[0]}`)),
  );

  for (const schema of allSchemas) app.addSchema(schema);
  for (const schema of integrationSchemas) app.addSchema(schema);

  await app.register(accepts);
  await app.register(cookie);
  // helmet's middleware, built once: @fastify/helmet builds a new one (and re-parses the policy)
  // on every request. Swagger UI at /docs sets its own policy (staticCSP), which replaces this
  // one on its responses; the JSON API needs no scripts at all.
  // HSTS and upgrade-insecure-requests only behind https: over plain HTTP on a LAN address they
  // would make the browser fetch the web app's scripts over https, and the page stay blank.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  });
  app.addHook("onRequest", (request, reply, done) => {
    // helmet 8 reports a bad policy by throwing when built, never through `next`.
    securityHeaders(request.raw, reply.raw, () => done());
  });
  await app.register(cors, {
    origin: options.corsOrigins.length > 0 ? [...options.corsOrigins] : false,
    methods: ["GET", "POST", "PATCH", "DELETE"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
  if (options.metrics) registerMetrics(app, options.metrics);

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Time Tracker API",
        description:
          "Register, log in, keep categories, log and time your work, and see where the time went. " +
          "The service is self-hosted: every instance serves this API, and this document, from the root " +
          "of its own address.",
        version: options.version ?? "0.1.0",
        license: { name: "MIT", url: "https://opensource.org/license/mit" },
      },
      // Relative: the instance that serves this document (wherever it is hosted) serves the API.
      servers: [{ url: "/", description: "The instance serving this document" }],
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token from POST /login, or an API token (tt_…) from POST /tokens" } },
      },
      tags: [
        { name: "health", description: "Whether the service and its database are up" },
        { name: "users", description: "Registration, login and logout, the current user, the user list" },
        { name: "categories", description: "The shared categories entries are filed under" },
        { name: "entries", description: "Time entries and timers: log, stop, read, change, delete, list, export" },
        { name: "reports", description: "Totals over your own entries" },
        { name: "teams", description: "Teams and their leads: who sees whose time" },
        { name: "catalog", description: "Clients and projects, shared by the instance: everyone reads them, admins write them" },
        { name: "tokens", description: "API tokens for scripts and integrations (managed with a login session)" },
        { name: "seed-app", description: "Deprecated: the routes the seed author's later web app calls, kept so it runs unchanged" },
        { name: "account", description: "Your own account: password, sessions, export, deletion, two-factor login" },
        { name: "integrations", description: "Incremental sync of your entries, and webhooks (Standard Webhooks)" },
      ],
    },
    // Keep the schemas' own names ($id) as component names instead of def-0, def-1, ...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    // Self-hosted instances often serve plain HTTP on a LAN address: upgrading the UI's own
    // scripts to https there would leave /docs blank.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/g, ""),
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(singleSignOnRoutes(options.useCases, { clientSecret: options.oidcClientSecret ?? null }));
  await app.register(publicRoutes(options.useCases));
  await app.register(async (protectedApp) => {
    protectedApp.addHook("onRequest", authHook(options.useCases.authenticate, options.useCases.authenticateApiToken));
    await protectedApp.register(accountRoutes(options.useCases));
    await protectedApp.register(instanceRoutes(options.useCases));
    await protectedApp.register(teamRoutes(options.useCases));
    await protectedApp.register(catalogRoutes(options.useCases));
    await protectedApp.register(entryRoutes(options.useCases));
    await protectedApp.register(reportRoutes(options.useCases));
    await protectedApp.register(apiTokenRoutes(options.useCases));
    await protectedApp.register(meRoutes(options.useCases));
    await protectedApp.register(integrationRoutes(options.useCases));
    await protectedApp.register(importRoutes(options.useCases));
  });
  await app.register(seedAppRoutes(options.useCases));
  await registerWebApp(app, { https, ...(options.webAppDir ? { dir: options.webAppDir } : {}) });

  return app;
}
