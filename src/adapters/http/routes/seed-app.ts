import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { EntryNotFound } from "../../../domain/errors.js";
import { formatInstant } from "../../../domain/instant.js";
import { durationSeconds } from "../../../domain/time-range.js";
import { authHook, caller } from "../auth.js";
import { logAsCaller } from "./entries.js";
import { pathId, presentCategory } from "../presenters.js";
import * as S from "../schemas.js";
import { ref } from "../schemas.js";
import { addErrorMember, seedProblem } from "../seed-app-problem.js";
import type { UseCases } from "../use-cases.js";

/** The batch route takes bodies up to 1 MiB (a year of entries), the rest the usual 16 KiB. */
const BATCH_BODY_LIMIT_BYTES = 1024 * 1024;

const entryId = (raw: string | number): number => pathId(String(raw), (id) => new EntryNotFound(id));

/**
 * A thin compatibility adapter for the seed author's later web app (its `next-version/`), which
 * takes the user from the token: the same use cases and rules as the rest of the API, in the
 * shapes that app sends and reads. Deprecated in OpenAPI: new clients use the routes they wrap.
 */
export function seedAppRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook("preSerialization", addErrorMember);
    const tags = ["seed-app"];
    const security = [{ bearer: [] }];
    const errors = { "4xx": seedProblem, "5xx": seedProblem };

    app.get(
      "/get/categories",
      {
        schema: {
          tags,
          deprecated: true,
          operationId: "seedAppListCategories",
          summary: "Every category, sorted by name (as GET /category), without a token",
          security: [],
          response: { 200: ref(S.CategoryList), ...errors },
        },
      },
      async () => ({ categories: (await useCases.listCategories.execute()).map(presentCategory) }),
    );

    const behindToken: FastifyPluginAsyncTypebox = async (guarded) => {
      guarded.addHook("onRequest", authHook(useCases.authenticate, useCases.authenticateApiToken));

      guarded.get(
        "/protected",
        {
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppCheckToken",
            summary: "Whether the token works, and whose it is (as GET /me)",
            security,
            response: { 200: ref(S.SeedAppCaller), ...errors },
          },
        },
        async (request) => ({ message: "Token is valid", user: caller(request).username }),
      );

      guarded.get(
        "/entry",
        {
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppListEntries",
            summary: "Every entry of yours, oldest first, in one answer (as GET /entries/{username})",
            security,
            response: { 200: ref(S.SeedAppEntryList), ...errors },
          },
        },
        async (request) => {
          const user = caller(request);
          const { owner, entries } = await useCases.exportEntries.execute({ actor: user, username: user.username });
          const listed = [];
          for await (const entry of entries) {
            listed.push({
              id: entry.id,
              category: entry.categoryName,
              start_time: formatInstant(entry.start),
              end_time: entry.end === null ? null : formatInstant(entry.end),
              duration_seconds: durationSeconds(entry),
            });
          }
          return { username: owner.username, entries: listed };
        },
      );

      guarded.post(
        "/entry/create",
        {
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppLogTimeEntry",
            summary: "Log a finished entry (as POST /entry)",
            security,
            body: ref(S.SeedAppNewEntry),
            response: { 201: ref(S.TimeEntryCreation), ...errors },
          },
        },
        async (request, reply) => reply.code(201).send(await logAsCaller(useCases, caller(request), request.body)),
      );

      guarded.put(
        "/entry/:id",
        {
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppReplaceTimeEntry",
            summary: "Change an entry's category and times, all three given (as PATCH /entry/{id})",
            security,
            params: S.IdParams,
            body: ref(S.SeedAppEntryChanges),
            response: { 200: ref(S.SeedAppUpdate), ...errors },
          },
        },
        async (request) => {
          const entry = await useCases.updateTimeEntry.execute({
            actor: caller(request),
            entryId: entryId(request.params.id),
            category: request.body.category,
            startTime: request.body.start_time,
            endTime: request.body.end_time,
          });
          return { message: "Time entry updated successfully", id: entry.id };
        },
      );

      guarded.delete(
        "/entry/delete",
        {
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppDeleteTimeEntry",
            summary: "Delete an entry named in the body (as DELETE /entry/{id})",
            security,
            body: ref(S.SeedAppDeletion),
            response: { 200: ref(S.SeedAppMessage), ...errors },
          },
        },
        async (request) => {
          await useCases.deleteTimeEntry.execute({ actor: caller(request), entryId: entryId(request.body.entry_id) });
          return { message: "Time entry deleted successfully" };
        },
      );

      guarded.post(
        "/entry/batch-import",
        {
          bodyLimit: BATCH_BODY_LIMIT_BYTES,
          schema: {
            tags,
            deprecated: true,
            operationId: "seedAppImportEntries",
            summary: "Log many finished entries; each fails alone, and unknown categories are created",
            description:
              "Items are checked against each other as well as against stored entries (of two that overlap, the " +
              "second fails). `errors` names each failed item by its index. At most 1,000 items, 1 MiB.",
            security,
            body: ref(S.SeedAppBatch),
            response: { 200: ref(S.SeedAppBatchResult), ...errors },
          },
        },
        async (request) => {
          const { created, failures } = await useCases.importEntryBatch.execute({
            actor: caller(request),
            items: request.body.entries.map((item) => ({
              category: item.category,
              startTime: item.start_time,
              endTime: item.end_time,
            })),
          });
          return {
            success: created.length,
            failed: failures.length,
            errors: failures.map((failure) => ({ index: failure.index, error: failure.message })),
          };
        },
      );
    };
    await app.register(behindToken);
  };
}
