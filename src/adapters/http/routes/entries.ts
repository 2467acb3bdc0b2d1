import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import type { Static } from "@sinclair/typebox";
import type { User } from "../../../domain/user.js";
import { EntryNotFound } from "../../../domain/errors.js";
import { caller, checkNamesCaller } from "../auth.js";
import { CSV_COLUMNS, csvPieces } from "../csv-export.js";
import { decodeEntryCursor, encodeEntryCursor, pathId, presentEntry } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

const DEFAULT_LIMIT = 100;

/** POST /entry's work (also the seed app's POST /entry/create, whose body is a part of this one): its 201 body. */
export async function logAsCaller(
  useCases: UseCases,
  user: User,
  body: Static<typeof S.NewTimeEntry>,
): Promise<Static<typeof S.TimeEntryCreation>> {
  checkNamesCaller(user, body.username);
  const entry = await useCases.logTimeEntry.execute({
    actor: user,
    category: body.category,
    startTime: body.start_time,
    endTime: body.end_time ?? undefined,
    note: body.note,
    projectId: body.project_id,
    tags: body.tags,
    billable: body.billable,
  });
  return { message: "Time entry created successfully", entry: presentEntry(entry, user.username) };
}

const entryId = (raw: string): number => pathId(raw, (id) => new EntryNotFound(id));

/** `format` wins; otherwise HTTP content negotiation (q-values count), JSON when in doubt. */
function wantsCsv(request: FastifyRequest, format: "json" | "csv" | undefined): boolean {
  if (format !== undefined) return format === "csv";
  if (!request.headers.accept) return false;
  return request.accepts().type(["application/json", "text/csv"]) === "text/csv";
}

/** Time entries: logging, timers, editing, lists and CSV export (behind the auth hook). */
export function entryRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };

    app.post(
      "/entry",
      {
        schema: {
          tags: ["entries"],
          operationId: "logTimeEntry",
          summary: "Log a time entry, or start a timer when end_time is left out",
          security,
          body: ref(S.NewTimeEntry),
          response: { 201: ref(S.TimeEntryCreation), ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await logAsCaller(useCases, caller(request), request.body)),
    );

    app.post(
      "/entry/:id/stop",
      {
        schema: {
          tags: ["entries"],
          operationId: "stopTimer",
          summary: "Stop a running timer (now, or at end_time)",
          security,
          params: S.IdParams,
          body: ref(S.StopTimer),
          response: { 200: ref(S.TimeEntryEnvelope), ...errors },
        },
        // The body is optional here: none at all means "stop now". A JSON null is still a wrong type.
        preValidation: async (request) => {
          if (request.body === undefined) request.body = {};
        },
      },
      async (request) => {
        const user = caller(request);
        const entry = await useCases.stopTimer.execute({
          actor: user,
          entryId: entryId(request.params.id),
          endTime: request.body?.end_time,
        });
        return { entry: presentEntry(entry, user.username) };
      },
    );

    app.get(
      "/entry/:id",
      {
        schema: {
          tags: ["entries"],
          operationId: "getTimeEntry",
          summary: "One of your entries, or one of a member of a team you lead (admins: anyone's)",
          security,
          params: S.IdParams,
          response: { 200: ref(S.TimeEntryEnvelope), ...errors },
        },
      },
      async (request) => {
        const user = caller(request);
        const seen = await useCases.getTimeEntry.execute({ actor: user, entryId: entryId(request.params.id) });
        return { entry: presentEntry(seen.entry, seen.username) };
      },
    );

    app.patch(
      "/entry/:id",
      {
        schema: {
          tags: ["entries"],
          operationId: "updateTimeEntry",
          summary: "Change an entry; every rule is checked again",
          security,
          params: S.IdParams,
          body: ref(S.TimeEntryChanges),
          response: { 200: ref(S.TimeEntryEnvelope), ...errors },
        },
      },
      async (request) => {
        const user = caller(request);
        const body = request.body;
        const entry = await useCases.updateTimeEntry.execute({
          actor: user,
          entryId: entryId(request.params.id),
          category: body.category,
          startTime: body.start_time,
          endTime: body.end_time,
          note: body.note,
          projectId: body.project_id,
          tags: body.tags,
          billable: body.billable,
        });
        return { entry: presentEntry(entry, user.username) };
      },
    );

    app.delete(
      "/entry/:id",
      {
        schema: {
          tags: ["entries"],
          operationId: "deleteTimeEntry",
          summary: "Delete an entry",
          security,
          params: S.IdParams,
          response: { 204: { type: "null", description: "Deleted" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.deleteTimeEntry.execute({ actor: caller(request), entryId: entryId(request.params.id) });
        return reply.code(204).send();
      },
    );

    app.get(
      "/entries/:username",
      {
        schema: {
          tags: ["entries"],
          operationId: "listTimeEntries",
          summary: "Your entries, oldest first, a page at a time; or all of them as CSV",
          description:
            "With `Accept: text/csv` or `format=csv` the whole filtered range streams as CSV " +
            "(header row, RFC 4180 quoting, UTF-8); `limit` and `cursor` are then ignored.",
          security,
          params: S.UsernameParams,
          querystring: S.EntryListQuery,
          response: {
            200: {
              description: "A page of entries (JSON), or the whole filtered range (CSV)",
              content: {
                "application/json": { schema: ref(S.EntryList) },
                "text/csv": { schema: { type: "string", description: CSV_COLUMNS.join(",") + " header, then one row per entry" } },
              },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const user = caller(request);
        const query = request.query;
        const filter = {
          actor: user,
          username: request.params.username,
          from: query.from,
          to: query.to,
          category: query.category,
          projectId: query.project_id,
          clientId: query.client_id,
          tag: query.tag,
          billable: query.billable,
        };
        if (wantsCsv(request, query.format)) {
          const { owner, entries } = await useCases.exportEntries.execute(filter);
          // At most one piece waits ahead of the socket; a string piece is encoded as it is written
          // and its copy freed when the write completes, not at the next collection.
          const csv = Readable.from(csvPieces(entries, owner.username), { highWaterMark: 1 });
          return reply
            .type("text/csv; charset=utf-8")
            .header("content-disposition", `attachment; filename="entries.csv"`)
            // A stream is piped as it is; the JSON response schema does not apply to it.
            .send(csv as never);
        }
        const page = await useCases.listEntries.execute({
          ...filter,
          after: decodeEntryCursor(query.cursor),
          limit: query.limit ?? DEFAULT_LIMIT,
        });
        return {
          username: page.owner.username,
          entries: page.entries.map((entry) => presentEntry(entry, page.owner.username)),
          next_cursor: page.next === null ? null : encodeEntryCursor(page.next),
        };
      },
    );
  };
}
