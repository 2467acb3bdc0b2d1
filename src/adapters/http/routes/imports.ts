import { Transform } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import { errorCodes } from "fastify";
import { DEFAULT_IMPORT_CATEGORY, type ImportReport } from "../../../application/import-entries.js";
import { caller } from "../auth.js";
import { presentEntry } from "../presenters.js";
import { problemOf, toProblem } from "../problem.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** POST /entries/batch reads bodies up to this size (every other JSON route: 16 KiB). */
export const BATCH_BODY_LIMIT_BYTES = 1024 * 1024;
/** POST /imports reads CSV files up to this size, as a stream. */
export const IMPORT_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

/** An item's problem, its field pointers moved to where the item sits in the batch body. */
function itemResult(error: unknown, index: number): Static<typeof S.BatchItemResult> {
  const { errors, ...found } = toProblem(error);
  const moved = errors?.map((e) => ({ path: `/entries/${index}${e.path === "/" ? "" : e.path}`, message: e.message }));
  return { status: found.status, problem: { ...found, ...(moved ? { errors: moved } : {}) } };
}

/** The byte count of a streamed body, failing it with 413 once it passes `limit`. */
function limitedTo(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      else done(null, chunk);
    },
  });
}

function isStream(body: unknown): boolean {
  return body instanceof Transform;
}

function presentReport(report: ImportReport) {
  return {
    format: report.format,
    dry_run: report.dryRun,
    rows: report.rows,
    created: report.created,
    duplicates: report.duplicates,
    failed: report.failed,
    errors: report.errors,
    warnings: report.warnings,
    created_categories: report.createdCategories,
    created_projects: report.createdProjects,
    created_tags: report.createdTags,
  };
}

/** Batches of entries and CSV imports (behind the auth hook). */
export function importRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };

    // A CSV body reaches the import as the request's stream, never read into memory here.
    app.addContentTypeParser("text/csv", (request, payload, done) => {
      const declared = Number(request.headers["content-length"]);
      if (declared > IMPORT_BODY_LIMIT_BYTES) {
        done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
        return;
      }
      done(null, payload.pipe(limitedTo(IMPORT_BODY_LIMIT_BYTES)));
      payload.on("error", () => undefined);
    });

    app.post(
      "/entries/batch",
      {
        bodyLimit: BATCH_BODY_LIMIT_BYTES,
        schema: {
          tags: ["entries"],
          operationId: "logTimeEntryBatch",
          summary: "Log up to 500 entries at once, each as POST /entry would; atomic: all or nothing",
          security,
          body: ref(S.EntryBatch),
          response: {
            200: ref(S.BatchResults),
            422: {
              description: "An item of an atomic batch failed: nothing was stored",
              content: { "application/problem+json": { schema: ref(S.BatchFailure) } },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const user = caller(request);
        const { entries, atomic = false } = request.body;
        const outcome = await useCases.logEntryBatch.execute({
          actor: user,
          atomic,
          items: entries.map((item) => ({
            username: item.username,
            category: item.category,
            startTime: item.start_time,
            endTime: item.end_time ?? undefined,
            note: item.note,
            projectId: item.project_id,
            tags: item.tags,
            billable: item.billable,
          })),
        });
        const results = outcome.results.map((result, index) =>
          "entry" in result ? { status: 201, entry: presentEntry(result.entry, user.username) } : itemResult(result.error, index),
        );
        if (!outcome.stored) {
          const failed = results.filter((result) => result.status !== 201).length;
          return reply
            .code(422)
            .type("application/problem+json; charset=utf-8")
            .send({ ...problemOf("BATCH_FAILED", `${failed} of ${results.length} items failed; nothing was stored`), results });
        }
        return { results };
      },
    );

    app.post(
      "/imports",
      {
        // Only a CSV body reaches the import (JSON, which the app parses everywhere, is 415 here).
        preValidation: async (request) => {
          if (!isStream(request.body)) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers["content-type"]);
        },
        schema: {
          tags: ["entries"],
          operationId: "importEntries",
          summary: "Import a CSV file (this service's export, the seed app's template, Toggl, Clockify) as your entries",
          security,
          querystring: S.ImportQuery,
          body: {
            content: {
              "text/csv": {
                schema: { format: "binary", description: "The CSV file, up to 20 MB, with its header row" },
              },
            },
          },
          response: {
            200: ref(S.ImportReport),
            422: {
              description: "A row of an atomic import failed: nothing was stored",
              content: { "application/problem+json": { schema: ref(S.ImportFailure) } },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const user = caller(request);
        const query = request.query;
        const report = await useCases.importEntries.execute({
          actor: user,
          body: request.body as Transform,
          format: query.format ?? "auto",
          tz: query.tz ?? "UTC",
          category: query.category ?? DEFAULT_IMPORT_CATEGORY,
          dryRun: query.dry_run ?? false,
          atomic: query.atomic ?? false,
        });
        const body = presentReport(report);
        if ((query.atomic ?? false) && report.failed > 0) {
          return reply
            .code(422)
            .type("application/problem+json; charset=utf-8")
            .send({ ...problemOf("BATCH_FAILED", `${report.failed} of ${report.rows} rows failed; nothing was stored`), ...body });
        }
        return body;
      },
    );
  };
}
