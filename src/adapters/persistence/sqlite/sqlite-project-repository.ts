import { ProjectNameTaken } from "../../../domain/errors.js";
import { nameKey, sortByName } from "../../../domain/names.js";
import type { ClientId, Project, ProjectId } from "../../../domain/project.js";
import type { NewProject, ProjectChanges, ProjectRepository } from "../../../application/ports/project-repository.js";
import { toProject, type ProjectColumns } from "../project-rows.js";
import { isUniqueViolation, type Connection, type SqlAccess } from "./sqlite-database.js";

interface ProjectRow extends ProjectColumns {
  readonly name_key: string;
}

/** A project with what it takes from its client: the client's name, and whether it is archived. */
const SELECT = `
  SELECT p.id, p.name, p.name_key, p.client_id, c.name AS client_name, p.color, p.billable,
         p.hourly_rate_cents, p.archived, c.archived AS client_archived
  FROM projects p LEFT JOIN clients c ON c.id = p.client_id`;
const BY_ID = `${SELECT} WHERE p.id = ?`;
const INSERT = `
  INSERT INTO projects (name, name_key, client_id, color, billable, hourly_rate_cents)
  VALUES (@name, @nameKey, @clientId, @color, @billable, @rate) RETURNING id`;
/**
 * One statement for every combination of changes: a null parameter keeps a column that cannot be
 * null; a column that can (the client, the colour, the rate) is set when its flag says so.
 */
const UPDATE = `
  UPDATE projects SET
    name = coalesce(@name, name),
    name_key = coalesce(@nameKey, name_key),
    client_id = CASE WHEN @setClient THEN @clientId ELSE client_id END,
    color = CASE WHEN @setColor THEN @color ELSE color END,
    billable = coalesce(@billable, billable),
    hourly_rate_cents = CASE WHEN @setRate THEN @rate ELSE hourly_rate_cents END,
    archived = coalesce(@archived, archived)
  WHERE id = @id`;

/** The list's statement: a fixed text for each combination of filters, prepared once. */
function listSql(options: { readonly clientId: ClientId | null; readonly includeArchived: boolean }): string {
  const where = [
    ...(options.clientId === null ? [] : ["p.client_id = @clientId"]),
    ...(options.includeArchived ? [] : ["p.archived = 0", "coalesce(c.archived, 0) = 0"]),
  ];
  return where.length === 0 ? SELECT : `${SELECT} WHERE ${where.join(" AND ")}`;
}

const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);

function byId(c: Connection, id: ProjectId): Project | null {
  const row = c.statement<ProjectRow>(BY_ID).get(id);
  return row ? toProject(row) : null;
}

/**
 * Runs a write that may give a project the name of another under the same client (or among
 * those without one): the unique index on (the client or 0, the name key) says so. `name` is
 * what the project would be called: the new name, or its own when only the client changes.
 */
function unlessNameTaken<T>(name: () => string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error, "projects_client_name_key")) throw new ProjectNameTaken(name());
    throw error;
  }
}

/**
 * Projects, each under at most one client. What is returned as `archived` is the project's own
 * flag or its client's: either way no new time is booked on it, and lists hide it unless asked.
 */
export class SqliteProjectRepository implements ProjectRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(project: NewProject): Promise<Project> {
    return this.sql.write((c) => {
      const params = {
        name: project.name,
        nameKey: nameKey(project.name),
        clientId: project.clientId,
        color: project.color,
        billable: project.billable ? 1 : 0,
        rate: project.hourlyRateCents,
      };
      const row = unlessNameTaken(
        () => project.name,
        () => c.statement<{ id: number }>(INSERT).get(params),
      );
      const added = row ? byId(c, row.id) : null;
      if (!added) throw new Error("INSERT … RETURNING gave no row");
      return added;
    });
  }

  findById(id: ProjectId): Promise<Project | null> {
    return this.sql.read((c) => byId(c, id));
  }

  /** By name in the domain's order; one name under several clients, by the clients' names (none first). */
  list(options: { readonly clientId: ClientId | null; readonly includeArchived: boolean }): Promise<Project[]> {
    return this.sql.read((c) => {
      const statement = c.statement<ProjectRow>(listSql(options));
      const rows = options.clientId === null ? statement.all() : statement.all({ clientId: options.clientId });
      const byClient = sortByName(rows, (row) => row.client_name ?? "");
      return sortByName(byClient, (row) => row.name, (row) => row.name_key).map(toProject);
    });
  }

  update(id: ProjectId, changes: ProjectChanges): Promise<Project | null> {
    return this.sql.write((c) => {
      const params = {
        id,
        name: changes.name ?? null,
        nameKey: changes.name === undefined ? null : nameKey(changes.name),
        setClient: changes.clientId === undefined ? 0 : 1,
        clientId: changes.clientId ?? null,
        setColor: changes.color === undefined ? 0 : 1,
        color: changes.color ?? null,
        billable: flag(changes.billable),
        setRate: changes.hourlyRateCents === undefined ? 0 : 1,
        rate: changes.hourlyRateCents ?? null,
        archived: flag(changes.archived),
      };
      const changed = unlessNameTaken(
        () => changes.name ?? byId(c, id)?.name ?? "",
        () => c.statement(UPDATE).run(params).changes,
      );
      return changed === 0 ? null : byId(c, id);
    });
  }
}
