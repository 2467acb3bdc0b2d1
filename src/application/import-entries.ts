import { parseCategoryName, type Category } from "../domain/category.js";
import { DomainError, ProjectArchived, ValidationFailed } from "../domain/errors.js";
import { parseInstant } from "../domain/instant.js";
import { localToInstant, localZone } from "../domain/local-time.js";
import { nameKey } from "../domain/names.js";
import { isAdmin } from "../domain/policy.js";
import { parseClientName, parseProjectName, type Client, type Project } from "../domain/project.js";
import { parseTags } from "../domain/tag.js";
import { checkClosedRange, checkNote, checkUnlocked, type EntrySpan } from "../domain/time-entry.js";
import type { User } from "../domain/user.js";
import type { IANAZone } from "luxon";
import { bookPrepared, lockBinding } from "./entry-booking.js";
import { unresolvedTags } from "./tag-directory.js";
import { CategoryNameTaken } from "./ports/category-repository.js";
import type { FileTime, ImportFormat, ImportReader, ImportRow, UnreadableRow } from "./ports/import-reader.js";
import type { SettingsRepository } from "./ports/settings-repository.js";
import { userScope, type Repositories, type Transactor } from "./ports/transactor.js";

/** Rows stored per unit of work: a big file never holds the user's lock for long. */
export const IMPORT_ROWS_PER_UNIT = 500;
/** Errors and warnings listed (the counts stay exact): the answer stays small whatever the file. */
export const IMPORT_MESSAGES_MAX = 1000;
export const DEFAULT_IMPORT_CATEGORY = "Imported";

export interface ImportInput {
  readonly actor: User;
  readonly body: AsyncIterable<Uint8Array | string>;
  readonly format: ImportFormat | "auto";
  readonly tz: string;
  readonly category: string;
  readonly dryRun: boolean;
  readonly atomic: boolean;
}

export interface RowMessage {
  readonly row: number;
  readonly message: string;
}

export interface ImportReport {
  readonly format: ImportFormat;
  readonly dryRun: boolean;
  /** False when nothing was kept: a dry run, or an atomic import with a failed row. */
  readonly stored: boolean;
  rows: number;
  created: number;
  duplicates: number;
  failed: number;
  readonly errors: RowMessage[];
  readonly warnings: RowMessage[];
  readonly createdCategories: string[];
  readonly createdProjects: string[];
  readonly createdTags: string[];
}

/** Thrown inside the unit of work to undo a dry run or a failed atomic import. */
class RollBack extends Error {}

/**
 * Imports a CSV file as the caller's entries, row by row, by the rules of POST /entry. Rows are
 * stored IMPORT_ROWS_PER_UNIT at a time, each batch in one unit of work; a dry run and an atomic
 * import use one unit of work for the whole file (so every row is checked against every other)
 * and roll it back when nothing may be kept.
 */
export class ImportEntries {
  constructor(
    private readonly reader: ImportReader,
    private readonly settings: SettingsRepository,
    private readonly transactor: Transactor,
  ) {}

  async execute(input: ImportInput): Promise<ImportReport> {
    const zone = localZone(input.tz);
    const defaultCategory = parseCategoryName(input.category, "category");
    const file = await this.reader.open(input.body, input.format);
    const session = new ImportSession(input.actor, zone, defaultCategory, await lockBinding(this.settings, input.actor));
    const whole = input.dryRun || input.atomic;
    const report: ImportReport = {
      format: file.format,
      dryRun: input.dryRun,
      stored: !input.dryRun,
      rows: 0,
      created: 0,
      duplicates: 0,
      failed: 0,
      errors: [],
      warnings: [],
      createdCategories: session.createdCategories,
      createdProjects: session.createdProjects,
      createdTags: session.createdTags,
    };
    const unit = (work: (repos: Repositories) => Promise<void>) =>
      this.transactor.run(userScope(input.actor.id), async (repos) => {
        await work(repos);
        if (whole && (input.dryRun || report.failed > 0)) throw new RollBack();
      });

    const note = (list: RowMessage[], row: number, message: string) => {
      if (list.length < IMPORT_MESSAGES_MAX) list.push({ row, message });
    };
    const importAll = async (repos: Repositories, records: Iterable<ImportRow | UnreadableRow>) => {
      for (const record of records) {
        report.rows++;
        try {
          const outcome = await session.importRow(repos, record, (message) => note(report.warnings, record.row, message));
          report[outcome]++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          report.failed++;
          note(report.errors, record.row, error.message);
        }
      }
    };

    try {
      if (whole) {
        await unit(async (repos) => {
          for await (const chunk of chunks(file.records)) await importAll(repos, chunk);
        });
      } else {
        for await (const chunk of chunks(file.records)) await unit((repos) => importAll(repos, chunk));
      }
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
      return { ...report, stored: false };
    }
    return report;
  }
}

/** The records IMPORT_ROWS_PER_UNIT at a time; only one batch is in memory. */
async function* chunks<T>(records: AsyncIterable<T>): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const record of records) {
    chunk.push(record);
    if (chunk.length === IMPORT_ROWS_PER_UNIT) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** What one import has looked up and created so far; each name is looked up once. */
class ImportSession {
  readonly createdCategories: string[] = [];
  readonly createdProjects: string[] = [];
  readonly createdTags: string[] = [];
  private readonly categories = new Map<string, Category>();
  private readonly knownTags = new Set<string>();
  private catalog: { clients: Map<string, Client>; projects: Map<string, Project> } | undefined;

  constructor(
    private readonly actor: User,
    private readonly zone: IANAZone,
    private readonly defaultCategory: string,
    private readonly lockBefore: Date | null,
  ) {}

  async importRow(
    repos: Repositories,
    record: ImportRow | UnreadableRow,
    warn: (message: string) => void,
  ): Promise<"created" | "duplicates"> {
    if ("error" in record) throw new DomainError("VALIDATION_FAILED", record.error);
    const { actor } = this;
    if (record.username !== null && nameKey(record.username) !== nameKey(actor.username)) {
      throw new ValidationFailed("username", `must be empty or yours, not '${record.username}'`);
    }
    if (record.end === null) throw new ValidationFailed("end_time", "is empty: a running timer is not imported");
    const start = this.instant(record.start, "start_time");
    const end = this.instant(record.end, "end_time");
    checkClosedRange(start, end);
    const note = checkNote(record.note);
    const tagNames = parseTags(record.tags);
    checkUnlocked(actor.role, this.lockBefore, [start]);
    const category = await this.category(repos, record.category ?? this.defaultCategory);
    const project = await this.project(repos, record, warn);

    const overlapping = await repos.entries.findOverlapping(actor.id, { start, end }, null);
    if (await isDuplicate(repos, overlapping, start, end, category)) return "duplicates";
    const newTags = await this.newTags(repos, tagNames);
    await bookPrepared(
      repos,
      actor,
      { start, end, note, tags: unresolvedTags(tagNames), categoryId: category.id, project, billable: record.billable },
      overlapping,
    );
    for (const name of newTags) {
      this.knownTags.add(nameKey(name));
      this.createdTags.push(name);
    }
    return "created";
  }

  private instant(time: FileTime, field: string): Date {
    return "instant" in time ? parseInstant(time.instant, field) : localToInstant(time.local, this.zone, field);
  }

  private async category(repos: Repositories, raw: string): Promise<Category> {
    const name = parseCategoryName(raw, "category");
    const key = nameKey(name);
    const known = this.categories.get(key);
    if (known) return known;
    let category = await repos.categories.findByName(name);
    if (!category) {
      try {
        category = await repos.categories.add(name);
        this.createdCategories.push(category.name);
      } catch (error) {
        if (!(error instanceof CategoryNameTaken)) throw error;
        category = await repos.categories.findByName(name);
        if (!category) throw new ValidationFailed("category", `'${name}' was being created at the same time; import the row again`);
      }
    }
    this.categories.set(key, category);
    return category;
  }

  /** The row's project: found by name (under its client), made for an admin, else none with a warning. */
  private async project(repos: Repositories, record: ImportRow, warn: (message: string) => void): Promise<Project | null> {
    if (record.project === null) return null;
    const name = parseProjectName(record.project, "project");
    const clientName = record.client === null ? null : parseClientName(record.client, "client");
    const catalog = await this.loadCatalog(repos);
    const key = projectKey(clientName, name);
    let project = catalog.projects.get(key);
    if (!project) {
      const described = clientName === null ? `'${name}'` : `'${name}' of client '${clientName}'`;
      if (!isAdmin(this.actor.role)) {
        warn(`project ${described} does not exist and only admins create projects: imported without a project`);
        return null;
      }
      const client = clientName === null ? null : await this.client(repos, catalog, clientName);
      // A project of an archived client counts as archived: no time is booked on it.
      if (client?.archived) throw new ProjectArchived(name);
      project = await repos.projects.add({
        name,
        clientId: client?.id ?? null,
        color: null,
        billable: true,
        hourlyRateCents: null,
      });
      catalog.projects.set(key, project);
      this.createdProjects.push(project.name);
    }
    if (project.archived) throw new ProjectArchived(project.name);
    return project;
  }

  private async client(repos: Repositories, catalog: NonNullable<ImportSession["catalog"]>, name: string): Promise<Client> {
    const known = catalog.clients.get(nameKey(name));
    if (known) return known;
    const client = await repos.clients.add(name);
    catalog.clients.set(nameKey(name), client);
    return client;
  }

  private async loadCatalog(repos: Repositories): Promise<NonNullable<ImportSession["catalog"]>> {
    if (!this.catalog) {
      const clients = await repos.clients.list({ includeArchived: true });
      const projects = await repos.projects.list({ clientId: null, includeArchived: true });
      this.catalog = {
        clients: new Map(clients.map((client) => [nameKey(client.name), client])),
        projects: new Map(projects.map((project) => [projectKey(project.clientName, project.name), project])),
      };
    }
    return this.catalog;
  }

  /** The row's tags that do not exist yet (to be reported once they are made). */
  private async newTags(repos: Repositories, names: readonly string[]): Promise<string[]> {
    const fresh: string[] = [];
    for (const name of names) {
      if (this.knownTags.has(nameKey(name))) continue;
      if (await repos.tags.findByName(name)) this.knownTags.add(nameKey(name));
      else fresh.push(name);
    }
    return fresh;
  }
}

function projectKey(clientName: string | null, name: string): string {
  return `${clientName === null ? "" : nameKey(clientName)}\u0000${nameKey(name)}`;
}

/** Whether the user has an entry with the same start, end and category (among those overlapping it). */
async function isDuplicate(
  repos: Repositories,
  overlapping: readonly EntrySpan[],
  start: Date,
  end: Date,
  category: Category,
): Promise<boolean> {
  for (const span of overlapping) {
    if (span.start.getTime() !== start.getTime() || span.end?.getTime() !== end.getTime()) continue;
    const entry = await repos.entries.findById(span.id);
    if (entry?.categoryId === category.id) return true;
  }
  return false;
}
