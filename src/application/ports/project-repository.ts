import type { Client, ClientId, Project, ProjectId } from "../../domain/project.js";

export interface ClientRepository {
  /** Throws the domain's ClientNameTaken when a client of that name exists (names compare by key). */
  add(name: string): Promise<Client>;
  findById(id: ClientId): Promise<Client | null>;
  /** Sorted by name; archived ones only when asked. */
  list(options: { readonly includeArchived: boolean }): Promise<Client[]>;
  /** Changes what is given; null when the client does not exist; ClientNameTaken for another's name. */
  update(id: ClientId, changes: { readonly name?: string; readonly archived?: boolean }): Promise<Client | null>;
}

export interface NewProject {
  readonly name: string;
  readonly clientId: ClientId | null;
  readonly color: string | null;
  readonly billable: boolean;
  readonly hourlyRateCents: number | null;
}

export interface ProjectChanges {
  readonly name?: string;
  readonly clientId?: ClientId | null;
  readonly color?: string | null;
  readonly billable?: boolean;
  readonly hourlyRateCents?: number | null;
  readonly archived?: boolean;
}

export interface ProjectRepository {
  /**
   * Throws ProjectNameTaken when the client (or the set of projects without one) has a project of
   * that name, and the store's ReferencedRowMissing when the client does not exist.
   */
  add(project: NewProject): Promise<Project>;
  /** With its client's name; `archived` is true when the project or its client is archived. */
  findById(id: ProjectId): Promise<Project | null>;
  /** Sorted by name (then by client name); archived ones (or of an archived client) only when asked. */
  list(options: { readonly clientId: ClientId | null; readonly includeArchived: boolean }): Promise<Project[]>;
  /** Changes what is given; null when the project does not exist. Same errors as `add`. */
  update(id: ProjectId, changes: ProjectChanges): Promise<Project | null>;
}
