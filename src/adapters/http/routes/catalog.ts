import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import { ClientNotFound, ProjectNotFound, ValidationFailed } from "../../../domain/errors.js";
import { maySeeRates } from "../../../domain/policy.js";
import type { Client, Project } from "../../../domain/project.js";
import type { User } from "../../../domain/user.js";
import { caller } from "../auth.js";
import { parseEntryId, pathId } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** Ids from the path; anything but a positive integer is simply not a client or project. */
const clientId = (raw: string): number => pathId(raw, (id) => new ClientNotFound(id));
const projectId = (raw: string): number => pathId(raw, (id) => new ProjectNotFound(id));

/**
 * A client id to filter by, from the query: the schema lets only digits through, and one past
 * the id range is no id either. Unlike a path, a query that cannot name anything is a bad query.
 */
function queryClientId(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const id = parseEntryId(raw);
  if (id === null) throw new ValidationFailed("client_id", "must be an id");
  return id;
}

function presentClient(client: Client): Static<typeof S.Client> {
  return { id: client.id, name: client.name, archived: client.archived };
}

/** A project as `viewer` sees it: the rate is business data, null for whoever may not see rates. */
function presentProject(project: Project, viewer: User): Static<typeof S.Project> {
  return {
    id: project.id,
    name: project.name,
    client_id: project.clientId,
    client: project.clientName,
    color: project.color,
    billable: project.billable,
    hourly_rate_cents: maySeeRates(viewer) ? project.hourlyRateCents : null,
    archived: project.archived,
  };
}

/** The body's project fields, named as the use cases name them. */
function projectFields(body: Static<typeof S.ProjectChanges>) {
  return {
    name: body.name,
    clientId: body.client_id,
    color: body.color,
    billable: body.billable,
    hourlyRateCents: body.hourly_rate_cents,
  };
}

/** Clients and projects (behind the auth hook): everyone reads them, admins write them. */
export function catalogRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };
    const tags = ["catalog"];

    app.post(
      "/clients",
      {
        schema: {
          tags,
          operationId: "createClient",
          summary: "Create a client (admins); a name in use is 409 CLIENT_NAME_TAKEN",
          security,
          body: ref(S.NewClient),
          response: { 201: ref(S.ClientEnvelope), ...errors },
        },
      },
      async (request, reply) => {
        const client = await useCases.createClient.execute({ actor: caller(request), name: request.body.name });
        return reply.code(201).send({ client: presentClient(client) });
      },
    );

    app.get(
      "/clients",
      {
        schema: {
          tags,
          operationId: "listClients",
          summary: "Clients sorted by name; archived ones only with include_archived=true",
          security,
          querystring: S.ClientListQuery,
          response: { 200: ref(S.ClientList), ...errors },
        },
      },
      async (request) => {
        const clients = await useCases.listClients.execute({ includeArchived: request.query.include_archived === "true" });
        return { clients: clients.map(presentClient) };
      },
    );

    app.patch(
      "/clients/:id",
      {
        schema: {
          tags,
          operationId: "updateClient",
          summary: "Rename a client or archive it (admins); its projects count as archived while it is",
          security,
          params: S.IdParams,
          body: ref(S.ClientChanges),
          response: { 200: ref(S.ClientEnvelope), ...errors },
        },
      },
      async (request) => {
        const client = await useCases.updateClient.execute({
          actor: caller(request),
          id: clientId(request.params.id),
          changes: { name: request.body.name, archived: request.body.archived },
        });
        return { client: presentClient(client) };
      },
    );

    app.post(
      "/projects",
      {
        schema: {
          tags,
          operationId: "createProject",
          summary: "Create a project (admins), under a client or none",
          description:
            "A name in use under the same client (or among the projects without one) is 409 PROJECT_NAME_TAKEN; " +
            "an unknown client is 404 CLIENT_NOT_FOUND. Billable unless told otherwise; no colour and no rate by default.",
          security,
          body: ref(S.NewProject),
          response: { 201: ref(S.ProjectEnvelope), ...errors },
        },
      },
      async (request, reply) => {
        const actor = caller(request);
        const project = await useCases.createProject.execute({ actor, ...projectFields(request.body), name: request.body.name });
        return reply.code(201).send({ project: presentProject(project, actor) });
      },
    );

    app.get(
      "/projects",
      {
        schema: {
          tags,
          operationId: "listProjects",
          summary: "Projects sorted by name, of one client if asked; archived ones only with include_archived=true",
          description: "A project whose client is archived counts as archived.",
          security,
          querystring: S.ProjectListQuery,
          response: { 200: ref(S.ProjectList), ...errors },
        },
      },
      async (request) => {
        const actor = caller(request);
        const projects = await useCases.listProjects.execute({
          clientId: queryClientId(request.query.client_id),
          includeArchived: request.query.include_archived === "true",
        });
        return { projects: projects.map((project) => presentProject(project, actor)) };
      },
    );

    app.patch(
      "/projects/:id",
      {
        schema: {
          tags,
          operationId: "updateProject",
          summary: "Change a project (admins): its name, client, colour, billing, rate, or whether it is archived",
          description: "Entries booked on it keep the rate they were booked with.",
          security,
          params: S.IdParams,
          body: ref(S.ProjectChanges),
          response: { 200: ref(S.ProjectEnvelope), ...errors },
        },
      },
      async (request) => {
        const actor = caller(request);
        const project = await useCases.updateProject.execute({
          actor,
          id: projectId(request.params.id),
          changes: { ...projectFields(request.body), archived: request.body.archived },
        });
        return { project: presentProject(project, actor) };
      },
    );
  };
}
