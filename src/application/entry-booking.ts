import { ProjectArchived, ProjectNotFound } from "../domain/errors.js";
import { isAdmin } from "../domain/policy.js";
import type { Project, ProjectId } from "../domain/project.js";
import { parseTags } from "../domain/tag.js";
import type { TagId } from "../domain/tag.js";
import type { Actor } from "./entry-support.js";
import type { ProjectRepository } from "./ports/project-repository.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";

/** Who writes an entry, with what the rate chain needs of them. */
export interface Booker extends Actor {
  readonly hourlyRateCents: number | null;
}

/** Ids are positive and fit the stores' INT UNSIGNED columns. */
const MAX_ID = 4_294_967_295;

/**
 * The project a write chooses: it must exist (PROJECT_NOT_FOUND, also for a number that cannot
 * be an id) and be open for time (PROJECT_ARCHIVED when it or its client is archived).
 */
export async function bookableProject(projects: ProjectRepository, id: ProjectId): Promise<Project> {
  const project = Number.isSafeInteger(id) && id >= 1 && id <= MAX_ID ? await projects.findById(id) : null;
  if (!project) throw new ProjectNotFound(id);
  if (project.archived) throw new ProjectArchived(project.name);
  return project;
}

/** The project a request names: undefined (not given), null (none), or the chosen project. */
export async function chosenProject(
  projects: ProjectRepository,
  id: ProjectId | null | undefined,
): Promise<Project | null | undefined> {
  if (id === undefined || id === null) return id;
  return bookableProject(projects, id);
}

/** The tag names a request gives, checked; undefined when it gives none. */
export function chosenTags(raw: readonly string[] | undefined): string[] | undefined {
  return raw === undefined ? undefined : parseTags(raw);
}

/** The tags' ids, each created on first use (inside the caller's unit of work). */
export async function tagIdsOf(tags: TagRepository, names: readonly string[]): Promise<TagId[]> {
  return (await tags.ensure(names)).map((tag) => tag.id);
}

/**
 * The start of the locked period that binds `actor`: null for an admin (admins may write there)
 * and when nothing is locked. Read for members only, so an admin's write costs no statement.
 */
export async function lockBinding(settings: SettingsRepository, actor: Actor): Promise<Date | null> {
  if (isAdmin(actor.role)) return null;
  return (await settings.get()).lockBefore;
}
