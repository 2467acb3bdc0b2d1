import { parseCategoryName, type Category, type CategoryId } from "../domain/category.js";
import { ProjectArchived, ProjectNotFound, TimerAlreadyRunning } from "../domain/errors.js";
import { isStoredId } from "../domain/id.js";
import { parseInstant, truncateToSecond } from "../domain/instant.js";
import { nameKey } from "../domain/names.js";
import { isAdmin } from "../domain/policy.js";
import type { Project, ProjectId } from "../domain/project.js";
import { parseTags } from "../domain/tag.js";
import type { TagId } from "../domain/tag.js";
import {
  assertNoOverlap,
  checkClosedRange,
  checkNote,
  checkTimerStart,
  checkUnlocked,
  defaultBillable,
  rateFor,
  type EntrySpan,
  type TimeEntry,
} from "../domain/time-entry.js";
import { resolveCategory, type Actor } from "./entry-support.js";
import type { CategoryRepository } from "./ports/category-repository.js";
import type { Clock } from "./ports/clock.js";
import type { ProjectRepository } from "./ports/project-repository.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import type { TagRepository } from "./ports/tag-repository.js";
import type { Repositories } from "./ports/transactor.js";
import { unresolvedTags, type TagDirectory, type TagLookup } from "./tag-directory.js";

/** Who writes an entry, with what the rate chain needs of them. */
export interface Booker extends Actor {
  readonly hourlyRateCents: number | null;
}

/**
 * The project a write chooses: it must exist (PROJECT_NOT_FOUND, also for a number that cannot
 * be an id) and be open for time (PROJECT_ARCHIVED when it or its client is archived).
 */
export async function bookableProject(projects: ProjectRepository, id: ProjectId): Promise<Project> {
  const project = isStoredId(id) ? await projects.findById(id) : null;
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

/** The tags a request names, looked up before its unit of work (all left to it without a directory). */
export function lookUpTags(directory: TagDirectory | undefined, names: readonly string[]): Promise<TagLookup> {
  return directory ? directory.lookup(names) : Promise.resolve(unresolvedTags(names));
}

/** The ids of a lookup's tags, those it did not find made now (inside the caller's unit of work). */
export async function tagIdsFor(tags: TagRepository, lookup: TagLookup): Promise<TagId[]> {
  if (lookup.missing.length === 0) return [...lookup.ids];
  return [...lookup.ids, ...(await tagIdsOf(tags, lookup.missing))];
}

/**
 * The start of the locked period that binds `actor`: null for an admin (admins may write there)
 * and when nothing is locked. Read for members only, so an admin's write costs no statement.
 */
export async function lockBinding(settings: SettingsRepository, actor: Actor): Promise<Date | null> {
  if (isAdmin(actor.role)) return null;
  return (await settings.get()).lockBefore;
}

/**
 * An entry a write asks for, with every rule that needs no unit of work already checked: its
 * times, note, tags, category and project. `booked` stores it under the user's lock.
 */
export interface PreparedEntry {
  readonly start: Date;
  /** Null: a running timer. */
  readonly end: Date | null;
  readonly note: string | null;
  readonly tags: TagLookup;
  readonly categoryId: CategoryId;
  readonly project: Project | null;
  /** Undefined: the project's default. */
  readonly billable: boolean | undefined;
}

/** What POST /entry (and each item of a batch) asks for. */
export interface EntryRequest {
  readonly category: string;
  readonly startTime: string;
  /** Absent: start a timer. */
  readonly endTime?: string | undefined;
  readonly note?: string | null | undefined;
  readonly projectId?: ProjectId | null | undefined;
  readonly tags?: readonly string[] | undefined;
  /** Absent: the project's default (false without a project). */
  readonly billable?: boolean | undefined;
}

/** What preparing an entry reads: the catalog, the locked period and the time. */
export interface BookingLookups {
  readonly categories: CategoryRepository;
  readonly projects: ProjectRepository;
  readonly settings: SettingsRepository;
  readonly clock: Clock;
  /** Tags known in this process; without it, every tag is looked up inside the unit of work. */
  readonly tags?: TagDirectory | undefined;
}

/** A store's booking lookups, with the process's tag directory when there is one. */
export function bookingLookups(
  repos: Pick<Repositories, "categories" | "projects" | "settings">,
  clock: Clock,
  tags?: TagDirectory,
): BookingLookups {
  return { categories: repos.categories, projects: repos.projects, settings: repos.settings, clock, tags };
}

/**
 * Checks requests to log entries outside the unit of work (times, note, tags, the locked period)
 * and looks up what they name; a category or project named by several requests is read once.
 */
export class EntryPreparer {
  private readonly categoriesByKey = new Map<string, Promise<Category>>();
  private readonly projectsById = new Map<ProjectId, Promise<Project>>();
  private lock: Promise<Date | null> | undefined;

  constructor(
    private readonly deps: BookingLookups,
    private readonly actor: Booker,
  ) {}

  async prepare(input: EntryRequest): Promise<PreparedEntry> {
    const start = parseInstant(input.startTime, "start_time");
    const end = input.endTime === undefined ? null : parseInstant(input.endTime, "end_time");
    if (end === null) checkTimerStart(start, truncateToSecond(this.deps.clock.now()));
    else checkClosedRange(start, end);
    const note = checkNote(input.note ?? null);
    const tagNames = chosenTags(input.tags) ?? [];
    const category = await this.category(input.category);
    const project = input.projectId === undefined || input.projectId === null ? null : await this.project(input.projectId);
    this.lock ??= lockBinding(this.deps.settings, this.actor);
    checkUnlocked(this.actor.role, await this.lock, [start]);
    const tags = await lookUpTags(this.deps.tags, tagNames);
    return { start, end, note, tags, categoryId: category.id, project, billable: input.billable };
  }

  private category(raw: string): Promise<Category> {
    const key = nameKey(parseCategoryName(raw, "category"));
    let found = this.categoriesByKey.get(key);
    if (!found) {
      found = resolveCategory(this.deps.categories, raw);
      this.categoriesByKey.set(key, found);
    }
    return found;
  }

  private project(id: ProjectId): Promise<Project> {
    let found = this.projectsById.get(id);
    if (!found) {
      found = bookableProject(this.deps.projects, id);
      this.projectsById.set(id, found);
    }
    return found;
  }
}

/**
 * Stores a prepared entry inside the user's unit of work, after the rules that need it: one
 * running timer, no overlap with the user's other entries (`overlapping`, when the caller has
 * read them already). The rate is fixed now: later changes of the project's or the user's rate
 * leave it.
 */
export async function bookPrepared(
  repos: Pick<Repositories, "entries" | "tags">,
  actor: Booker,
  entry: PreparedEntry,
  overlapping?: readonly EntrySpan[],
): Promise<TimeEntry> {
  const { entries, tags } = repos;
  if (entry.end === null) {
    const running = await entries.findRunning(actor.id);
    if (running) throw new TimerAlreadyRunning(running.id);
  }
  const range = { start: entry.start, end: entry.end };
  assertNoOverlap(range, overlapping ?? (await entries.findOverlapping(actor.id, range, null)));
  return entries.add({
    userId: actor.id,
    categoryId: entry.categoryId,
    start: entry.start,
    end: entry.end,
    note: entry.note,
    projectId: entry.project?.id ?? null,
    billable: entry.billable ?? defaultBillable(entry.project),
    hourlyRateCents: rateFor(entry.project, actor.hourlyRateCents),
    tagIds: await tagIdsFor(tags, entry.tags),
  });
}
