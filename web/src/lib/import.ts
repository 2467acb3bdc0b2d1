/**
 * CSV import (POST /imports): the query of a dry run or an import, the page's own size check, and
 * what a report says in words ("Imported 12 entries; 3 duplicates skipped; 1 row failed"). No DOM,
 * no API.
 */

/** The formats the API reads (its `format` parameter, besides "auto"). */
export type ImportFormat = "time-tracker" | "toggl" | "clockify" | "seed-app";

/** The choices of the Format field, in its order; "auto" lets the file's header row decide. */
export const IMPORT_FORMATS: readonly { readonly value: ImportFormat; readonly label: string }[] = [
  { value: "time-tracker", label: "This service's CSV export" },
  { value: "toggl", label: "Toggl Track (detailed export)" },
  { value: "clockify", label: "Clockify (detailed export)" },
  { value: "seed-app", label: "The seed app's template" },
];

/** A format as the page names it ("Toggl Track"); an unknown one as the API said it. */
export function formatName(format: string): string {
  const names: Record<string, string> = {
    "time-tracker": "This service's CSV export",
    toggl: "Toggl Track",
    clockify: "Clockify",
    "seed-app": "The seed app's template",
  };
  return names[format] ?? format;
}

/** The API's largest file: 20 MB (20 MiB, as the service counts). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** The category of Toggl and Clockify rows when none is given (the API's default too). */
export const DEFAULT_IMPORT_CATEGORY = "Imported";

export interface ImportParams {
  readonly format: ImportFormat | "auto";
  /** IANA zone of the file's local times. */
  readonly tz: string;
  /** For Toggl and Clockify rows; blank means the API's default. */
  readonly category: string;
  /** All or nothing: a failed row stores nothing (422 BATCH_FAILED). */
  readonly atomic: boolean;
}

export interface RowMessage {
  /** The header is row 1. */
  readonly row: number;
  readonly message: string;
}

/** POST /imports's answer (also carried by a 422 BATCH_FAILED). */
export interface ImportReport {
  readonly format: string;
  readonly dry_run: boolean;
  readonly rows: number;
  readonly created: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly errors: readonly RowMessage[];
  readonly warnings: readonly RowMessage[];
  readonly created_categories: readonly string[];
  readonly created_projects: readonly string[];
  readonly created_tags: readonly string[];
}

/** The query of POST /imports: the same parameters for the dry run and the import, only dry_run differs. */
export function importSearch(params: ImportParams, dryRun: boolean): string {
  const search = new URLSearchParams();
  search.set("format", params.format);
  if (params.tz.trim() !== "") search.set("tz", params.tz.trim());
  if (params.category.trim() !== "") search.set("category", params.category.trim());
  search.set("dry_run", String(dryRun));
  if (params.atomic) search.set("atomic", "true");
  return `?${search.toString()}`;
}

/**
 * A size as people read it: "512 bytes", "340 kB", "23.5 MB" (binary multiples, as the limit is),
 * rounded up, so a file just over 20 MB never reads as "20.0 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} kB`;
  return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
}

/** Why a chosen file is refused before it is sent (over 20 MB), or null when it may go. */
export function fileProblem(file: { readonly name: string; readonly size: number }): string | null {
  if (file.size <= MAX_IMPORT_BYTES) return null;
  return `${file.name} is ${formatBytes(file.size)}; a file can be at most 20 MB. Split it into smaller files and import them one by one.`;
}

/** How many errors, and how many warnings, the API lists at most. */
const MAX_LISTED = 1000;

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * What a report says, in a sentence: "Imported 12 entries; 3 duplicates skipped; 1 row failed",
 * or for a dry run "Would import 12 entries; 3 duplicates would be skipped; 1 row would fail".
 * Duplicates and failures are said only when there are some.
 */
export function reportSummary(report: ImportReport): string {
  const dry = report.dry_run;
  if (report.rows === 0) return "The file has no rows after its header: nothing to import.";
  const parts = [`${dry ? "Would import" : "Imported"} ${count(report.created, "entry", "entries")}`];
  if (report.duplicates > 0) parts.push(`${count(report.duplicates, "duplicate", "duplicates")} ${dry ? "would be skipped" : "skipped"}`);
  if (report.failed > 0) parts.push(`${count(report.failed, "row", "rows")} ${dry ? "would fail" : "failed"}`);
  return parts.join("; ");
}

export interface ListedMessage extends RowMessage {
  readonly kind: "Error" | "Warning";
}

/** The errors and warnings as one list by row, a row's error before its warnings. */
export function rowMessages(report: ImportReport): ListedMessage[] {
  const listed: ListedMessage[] = [
    ...report.errors.map((m) => ({ ...m, kind: "Error" as const })),
    ...report.warnings.map((m) => ({ ...m, kind: "Warning" as const })),
  ];
  // Array.prototype.sort is stable: within a row, errors stay first and each list keeps its order.
  return listed.sort((a, b) => a.row - b.row);
}

/** Notes when the API listed only some of the failures or warnings (it lists the first 1,000 of each). */
export function unlistedNotes(report: ImportReport): string[] {
  const notes: string[] = [];
  if (report.failed > report.errors.length) {
    notes.push(`Only the first ${count(report.errors.length, "error is", "errors are")} listed, of ${count(report.failed, "failed row", "failed rows")}.`);
  }
  if (report.warnings.length >= MAX_LISTED) notes.push(`Only the first ${count(MAX_LISTED, "warning is", "warnings are")} listed.`);
  return notes;
}

/** What the import made that was not there, e.g. [["Categories", ["Imported"]], ["Tags", ["design"]]]; empty kinds left out. */
export function createdNames(report: ImportReport): [string, readonly string[]][] {
  const kinds: [string, readonly string[]][] = [
    ["Categories", report.created_categories],
    ["Projects", report.created_projects],
    ["Tags", report.created_tags],
  ];
  return kinds.filter(([, names]) => names.length > 0);
}

/**
 * The zones the Time zone field offers: the browser's list (Intl.supportedValuesOf), with the
 * browser's own zone and UTC always among them, sorted.
 */
export function timeZoneChoices(supported: readonly string[], own: string): string[] {
  return [...new Set([...supported, own, "UTC"])].sort((a, b) => a.localeCompare(b, "en"));
}
