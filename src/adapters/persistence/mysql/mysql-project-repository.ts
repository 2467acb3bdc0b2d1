import type { RowDataPacket } from "mysql2/promise";
import { ProjectNameTaken } from "../../../domain/errors.js";
import { sortByName } from "../../../domain/names.js";
import type { ClientId, Project, ProjectId } from "../../../domain/project.js";
import type { NewProject, ProjectChanges, ProjectRepository } from "../../../application/ports/project-repository.js";
import { toProject, type ProjectColumns } from "../project-rows.js";
import type { SqlRunner, SqlValue } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";
import { PROJECT_NAME_KEY_BYTES, sortByStoredKey, storedNameKey } from "./name-keys.js";

interface ProjectRow extends RowDataPacket, ProjectColumns {
  name_key: Buffer;
}

/** A project with what it takes from its client: the client's name, and whether it is archived. */
const SELECT =
  "SELECT p.id, p.name, p.name_key, p.client_id, c.name AS client_name, p.color, p.billable, " +
  "p.hourly_rate_cents, p.archived, c.archived AS client_archived " +
  "FROM projects p LEFT JOIN clients c ON c.id = p.client_id";

/** The columns a change sets, and their values; a project's key is held in PROJECT_NAME_KEY_BYTES. */
function assignments(changes: ProjectChanges): { sets: string[]; params: SqlValue[] } {
  const sets: string[] = [];
  const params: SqlValue[] = [];
  const set = (column: string, value: SqlValue) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (changes.name !== undefined) {
    set("name", changes.name);
    set("name_key", storedNameKey(changes.name, PROJECT_NAME_KEY_BYTES));
  }
  if (changes.clientId !== undefined) set("client_id", changes.clientId);
  if (changes.color !== undefined) set("color", changes.color);
  if (changes.billable !== undefined) set("billable", changes.billable ? 1 : 0);
  if (changes.hourlyRateCents !== undefined) set("hourly_rate_cents", changes.hourlyRateCents);
  if (changes.archived !== undefined) set("archived", changes.archived ? 1 : 0);
  return { sets, params };
}

/**
 * Projects, each under at most one client; one name per client, and one among the projects
 * without a client (the unique index on the generated `client_key`, the client or 0, and the
 * name key). What is returned as `archived` is the project's own flag or its client's.
 */
export class MySqlProjectRepository implements ProjectRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(project: NewProject): Promise<Project> {
    const result = await this.unlessNameTaken(
      async () => project.name,
      () =>
        this.db.change(
          "INSERT INTO projects (name, name_key, client_id, color, billable, hourly_rate_cents) VALUES (?, ?, ?, ?, ?, ?)",
          [
            project.name,
            storedNameKey(project.name, PROJECT_NAME_KEY_BYTES),
            project.clientId,
            project.color,
            project.billable ? 1 : 0,
            project.hourlyRateCents,
          ],
        ),
    );
    const added = await this.findById(result.insertId);
    if (!added) throw new Error(`project ${result.insertId} is gone right after it was added`);
    return added;
  }

  async findById(id: ProjectId): Promise<Project | null> {
    const rows = await this.db.select<ProjectRow>(`${SELECT} WHERE p.id = ?`, [id]);
    return rows[0] ? toProject(rows[0]) : null;
  }

  /** By name in the domain's order; one name under several clients, by the clients' names (none first). */
  async list(options: { readonly clientId: ClientId | null; readonly includeArchived: boolean }): Promise<Project[]> {
    const where = [
      ...(options.clientId === null ? [] : ["p.client_id = ?"]),
      ...(options.includeArchived ? [] : ["p.archived = 0", "COALESCE(c.archived, 0) = 0"]),
    ];
    const rows = await this.db.select<ProjectRow>(
      where.length === 0 ? SELECT : `${SELECT} WHERE ${where.join(" AND ")}`,
      options.clientId === null ? [] : [options.clientId],
    );
    const byClient = sortByName(rows, (row) => row.client_name ?? "");
    return sortByStoredKey(byClient, (row) => row.name, (row) => row.name_key, PROJECT_NAME_KEY_BYTES).map(toProject);
  }

  async update(id: ProjectId, changes: ProjectChanges): Promise<Project | null> {
    const { sets, params } = assignments(changes);
    if (sets.length > 0) {
      await this.unlessNameTaken(
        async () => changes.name ?? (await this.findById(id))?.name ?? "",
        () => this.db.change(`UPDATE projects SET ${sets.join(", ")} WHERE id = ?`, [...params, id]),
      );
    }
    return this.findById(id);
  }

  /**
   * Runs a write that may give a project the name of another under the same client: the unique
   * index says so. `name` says what the project would be called (its own, when only the client changes).
   */
  private async unlessNameTaken<T>(name: () => Promise<string>, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKey(error)) throw new ProjectNameTaken(await name());
      throw error;
    }
  }
}
