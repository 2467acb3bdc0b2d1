import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatInstant } from "../../../domain/instant.js";
import { caller } from "../auth.js";
import { decodeUserCursor, encodeCursor, presentCategory, presentPreferences, presentUser } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import { endCookieSession } from "../session-cookie.js";
import type { UseCases } from "../use-cases.js";
import { addErrorMember, seedProblem } from "../seed-app-problem.js";

const DEFAULT_LIMIT = 100;

/** Sessions, users and categories (behind the auth hook). */
export function accountRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/logout",
      {
        schema: {
          tags: ["users"],
          operationId: "logOut",
          summary: "Revoke the token used for this request",
          security: [{ bearer: [] }],
          response: { 204: { type: "null", description: "Logged out" }, "4xx": problem, "5xx": problem },
        },
      },
      async (request, reply) => {
        if (request.auth) await useCases.logOut.execute({ token: request.auth.token });
        endCookieSession(request, reply);
        return reply.code(204).send();
      },
    );

    app.get(
      "/me",
      {
        schema: {
          tags: ["users"],
          operationId: "getMe",
          summary: "The authenticated user, and whether two-factor login is on",
          security: [{ bearer: [] }],
          response: { 200: ref(S.Me), "4xx": problem, "5xx": problem },
        },
      },
      async (request) => {
        const user = await useCases.getMe.execute({ userId: caller(request).id });
        return {
          user_id: user.id,
          username: user.username,
          created_at: formatInstant(user.createdAt),
          role: user.role,
          totp_enabled: await useCases.twoFactorStatus.execute({ actor: user }),
        };
      },
    );

    app.get(
      "/me/preferences",
      {
        schema: {
          tags: ["users"],
          operationId: "getPreferences",
          summary: "Your preferences: a daily target per category",
          security: [{ bearer: [] }],
          response: { 200: ref(S.Preferences), "4xx": problem, "5xx": problem },
        },
      },
      async (request) => presentPreferences(await useCases.getPreferences.execute({ actor: caller(request) })),
    );

    app.patch(
      "/me/preferences",
      {
        schema: {
          tags: ["users"],
          operationId: "updatePreferences",
          summary: "Replace your daily targets (one per category, 60 to 86,400 seconds each)",
          security: [{ bearer: [] }],
          body: ref(S.PreferenceChanges),
          response: { 200: ref(S.Preferences), "4xx": problem, "5xx": problem },
        },
      },
      async (request) => {
        const targets = request.body.daily_targets.map((target) => ({ categoryId: target.category_id, seconds: target.seconds }));
        return presentPreferences(await useCases.updatePreferences.execute({ actor: caller(request), dailyTargets: targets }));
      },
    );

    app.get(
      "/users",
      {
        schema: {
          tags: ["users"],
          operationId: "listUsers",
          summary: "List users (ids, names, roles, whether active; rates to admins), a page at a time",
          security: [{ bearer: [] }],
          querystring: S.PageQuery,
          response: { 200: ref(S.UserList), "4xx": problem, "5xx": problem },
        },
      },
      async (request) => {
        const page = await useCases.listUsers.execute({
          afterId: decodeUserCursor(request.query.cursor),
          limit: request.query.limit ?? DEFAULT_LIMIT,
        });
        return {
          users: page.users.map((user) => presentUser(user, caller(request))),
          next_cursor: page.nextAfterId === null ? null : encodeCursor([page.nextAfterId]),
        };
      },
    );

    app.post(
      "/category",
      {
        schema: {
          tags: ["categories"],
          operationId: "createCategory",
          summary: "Create a category (idempotent: an existing name returns the existing one)",
          security: [{ bearer: [] }],
          body: ref(S.NewCategory),
          // The seed app's category panel posts here, and shows a failure's `error` member.
          response: { 200: ref(S.CategoryCreation), 201: ref(S.CategoryCreation), "4xx": seedProblem, "5xx": seedProblem },
        },
        preSerialization: addErrorMember,
      },
      async (request, reply) => {
        const { category, created } = await useCases.createCategory.execute(request.body);
        return reply.code(created ? 201 : 200).send({
          message: created ? "Category created successfully" : "Category already exists",
          category: presentCategory(category),
        });
      },
    );

    app.get(
      "/category",
      {
        schema: {
          tags: ["categories"],
          operationId: "listCategories",
          summary: "List categories, sorted by name case-insensitively",
          security: [{ bearer: [] }],
          response: { 200: ref(S.CategoryList), "4xx": problem, "5xx": problem },
        },
      },
      async () => {
        const categories = await useCases.listCategories.execute();
        return { categories: categories.map(presentCategory) };
      },
    );
  };
}
