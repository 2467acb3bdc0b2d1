import type { Project } from "../../domain/project.js";

/**
 * The columns every store reads a project by (the project joined with its client), as both SQL
 * stores name and type them: flags as 0/1 integers, the client's columns null without a client.
 */
export interface ProjectColumns {
  readonly id: number;
  readonly name: string;
  readonly client_id: number | null;
  readonly client_name: string | null;
  readonly color: string | null;
  readonly billable: number;
  readonly hourly_rate_cents: number | null;
  readonly archived: number;
  readonly client_archived: number | null;
}

/** A project as the domain knows it: archived when it is, or when its client is. */
export function toProject(row: ProjectColumns): Project {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    clientName: row.client_name,
    color: row.color,
    billable: row.billable === 1,
    hourlyRateCents: row.hourly_rate_cents,
    archived: row.archived === 1 || row.client_archived === 1,
  };
}
