import { ClientNotFound, ProjectNotFound } from "../domain/errors.js";
import { checkManagesCatalog } from "../domain/policy.js";
import {
  parseClientName,
  parseColor,
  parseProjectName,
  type Client,
  type ClientId,
  type Project,
  type ProjectId,
} from "../domain/project.js";
import { checkRateCents, type User } from "../domain/user.js";
import type { ClientRepository, ProjectChanges, ProjectRepository } from "./ports/project-repository.js";

/*
 * The catalog: clients and the projects time is booked on, shared by the whole instance.
 * Everyone signed in reads it (the auth hook sees to that); admins write it. Nothing is deleted,
 * only archived, so entries keep what they were booked on. One name per client and one project
 * name per client (compared as every name is): the store's unique index settles a race.
 */

export interface ClientChangesInput {
  readonly name?: string | undefined;
  readonly archived?: boolean | undefined;
}

/** A project's fields besides its name, as a request gives them: each left out means "as it is" (or the default). */
export interface ProjectFieldsInput {
  readonly clientId?: ClientId | null | undefined;
  readonly color?: string | null | undefined;
  readonly billable?: boolean | undefined;
  readonly hourlyRateCents?: number | null | undefined;
}

/**
 * CLIENT_NOT_FOUND for a client id that names no client, before the store is asked to write:
 * the foreign key would refuse it too, but only as a row gone missing, not as the client it is.
 */
async function checkClientExists(clients: ClientRepository, clientId: ClientId | null | undefined): Promise<void> {
  if (clientId !== undefined && clientId !== null && !(await clients.findById(clientId))) {
    throw new ClientNotFound(clientId);
  }
}

/** The fields that were given, each checked by its rule; what was left out stays out. */
function parseProjectFields(input: ProjectFieldsInput): ProjectChanges {
  return {
    ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
    ...(input.color === undefined ? {} : { color: parseColor(input.color) }),
    ...(input.billable === undefined ? {} : { billable: input.billable }),
    ...(input.hourlyRateCents === undefined ? {} : { hourlyRateCents: checkRateCents(input.hourlyRateCents) }),
  };
}

export class CreateClient {
  constructor(private readonly clients: ClientRepository) {}

  execute(input: { readonly actor: User; readonly name: string }): Promise<Client> {
    checkManagesCatalog(input.actor);
    return this.clients.add(parseClientName(input.name));
  }
}

export class ListClients {
  constructor(private readonly clients: ClientRepository) {}

  /** Sorted by name; archived clients only when asked for. */
  execute(input: { readonly includeArchived: boolean }): Promise<Client[]> {
    return this.clients.list({ includeArchived: input.includeArchived });
  }
}

/** Renames a client, or archives it (and so, in effect, its projects) or brings it back. */
export class UpdateClient {
  constructor(private readonly clients: ClientRepository) {}

  async execute(input: { readonly actor: User; readonly id: ClientId; readonly changes: ClientChangesInput }): Promise<Client> {
    checkManagesCatalog(input.actor);
    const { name, archived } = input.changes;
    const client = await this.clients.update(input.id, {
      ...(name === undefined ? {} : { name: parseClientName(name) }),
      ...(archived === undefined ? {} : { archived }),
    });
    if (!client) throw new ClientNotFound(input.id);
    return client;
  }
}

/** A new project: without a client unless one is named; billable unless told otherwise; no colour, no rate. */
export class CreateProject {
  constructor(
    private readonly clients: ClientRepository,
    private readonly projects: ProjectRepository,
  ) {}

  async execute(input: ProjectFieldsInput & { readonly actor: User; readonly name: string }): Promise<Project> {
    checkManagesCatalog(input.actor);
    const name = parseProjectName(input.name);
    const fields = parseProjectFields(input);
    await checkClientExists(this.clients, fields.clientId);
    return this.projects.add({
      name,
      clientId: fields.clientId ?? null,
      color: fields.color ?? null,
      billable: fields.billable ?? true,
      hourlyRateCents: fields.hourlyRateCents ?? null,
    });
  }
}

export class ListProjects {
  constructor(private readonly projects: ProjectRepository) {}

  /**
   * Sorted by name; only one client's when `clientId` is given (none for a client that does not
   * exist, as a filter on anything matches nothing). Archived projects, and those of archived
   * clients, only when asked for.
   */
  execute(input: { readonly clientId: ClientId | null; readonly includeArchived: boolean }): Promise<Project[]> {
    return this.projects.list({ clientId: input.clientId, includeArchived: input.includeArchived });
  }
}

/** Changes what is given: a move to another client (or to none), the name, colour, billing, rate, archiving. */
export class UpdateProject {
  constructor(
    private readonly clients: ClientRepository,
    private readonly projects: ProjectRepository,
  ) {}

  async execute(input: {
    readonly actor: User;
    readonly id: ProjectId;
    readonly changes: ProjectFieldsInput & { readonly name?: string | undefined; readonly archived?: boolean | undefined };
  }): Promise<Project> {
    checkManagesCatalog(input.actor);
    const { name, archived } = input.changes;
    const changes: ProjectChanges = {
      ...(name === undefined ? {} : { name: parseProjectName(name) }),
      ...parseProjectFields(input.changes),
      ...(archived === undefined ? {} : { archived }),
    };
    // The project named in the path first: a client named in the body only matters for a project that exists.
    if (!(await this.projects.findById(input.id))) throw new ProjectNotFound(input.id);
    await checkClientExists(this.clients, changes.clientId);
    const project = await this.projects.update(input.id, changes);
    if (!project) throw new ProjectNotFound(input.id);
    return project;
  }
}
