import type { LocalDateTime } from "../../domain/local-time.js";

export const IMPORT_FORMATS = ["time-tracker", "toggl", "clockify", "seed-app"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A time as a file gives it: an instant (with its offset), or a wall-clock time in the import's zone. */
export type FileTime = { readonly instant: string } | { readonly local: LocalDateTime };

/** One record of an import file, in the terms of an entry. */
export interface ImportRow {
  /** The header is row 1, the first record row 2. */
  readonly row: number;
  /** Only the service's own format names a user: empty, or the caller. */
  readonly username: string | null;
  /** Null: the import's `category` parameter. */
  readonly category: string | null;
  readonly start: FileTime;
  /** Null: the file has no end (a running timer), which is not imported. */
  readonly end: FileTime | null;
  readonly note: string | null;
  readonly project: string | null;
  readonly client: string | null;
  readonly tags: readonly string[];
  /** Undefined: the project's default. */
  readonly billable: boolean | undefined;
}

/** A record that could not be read as a row (a wrong date, a missing column), with why. */
export interface UnreadableRow {
  readonly row: number;
  readonly error: string;
}

export interface ImportFile {
  readonly format: ImportFormat;
  /** Read as they are asked for: the file is never held in memory. */
  readonly records: AsyncIterable<ImportRow | UnreadableRow>;
}

/** Reads an import file's header (finding its format, or checking the one asked for), then its records. */
export interface ImportReader {
  open(body: AsyncIterable<Uint8Array | string>, format: ImportFormat | "auto"): Promise<ImportFile>;
}
