/** Projects for pickers: how one is named on screen and which ones may be chosen. No DOM, no API. */

interface ProjectLike {
  readonly id: number;
  readonly name: string;
  readonly client: string | null;
  readonly archived: boolean;
}

/** A project as a picker names it: "Website (Acme)", or just the name without a client. */
export function projectLabel(project: { readonly name: string; readonly client: string | null }): string {
  return project.client ? `${project.name} (${project.client})` : project.name;
}

/**
 * The projects to offer for an entry: the ones not archived, and the entry's own even when it
 * is (an archived project stays on the entries that have it), ordered by label.
 */
export function choosableProjects<P extends ProjectLike>(projects: readonly P[], currentId: number | null): P[] {
  return projects
    .filter((p) => !p.archived || p.id === currentId)
    .sort((a, b) => projectLabel(a).localeCompare(projectLabel(b), undefined, { sensitivity: "base" }));
}

/** An entry's project as a picker names it, "" for none. */
export function entryProjectLabel(entry: { readonly project: string | null; readonly client: string | null }): string {
  return entry.project === null ? "" : projectLabel({ name: entry.project, client: entry.client });
}
