import type { LocalDateTime } from "../../../domain/local-time.js";
import type { FileTime, ImportFormat, ImportRow } from "../../../application/ports/import-reader.js";

/** A record that is not a row of its format; its message becomes the row's error. */
export class RowUnreadable extends Error {}

/** The cells of one record, by column name. */
export type Cells = (column: string) => string;

export interface FormatReader {
  readonly format: ImportFormat;
  /** Columns the header must have (names as the format writes them). */
  readonly columns: readonly string[];
  read(cells: Cells, row: number): ImportRow;
}

/** The cell's text, or null when it is empty. */
export function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** "Yes"/"No" (Toggl, Clockify) or "true"/"false" (ours); empty: not said. */
export function yesNo(text: string, column: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (value === "") return undefined;
  if (value === "yes" || value === "true") return true;
  if (value === "no" || value === "false") return false;
  throw new RowUnreadable(`${column} must be Yes or No, not '${text}'`);
}

export function splitTags(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

const DATE = { mdy: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, ymd: /^(\d{4})-(\d{1,2})-(\d{1,2})$/ } as const;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?$/;

/**
 * A wall-clock time from a date cell (MM/DD/YYYY or YYYY-MM-DD) and a time cell (HH:MM[:SS], or
 * with AM/PM); `columns` names the two cells in a row's error.
 */
export function localTime(
  date: string,
  time: string,
  style: keyof typeof DATE,
  columns: { readonly date: string; readonly time: string },
): FileTime {
  const d = DATE[style].exec(date.trim());
  const t = TIME.exec(time.trim());
  if (!d) throw new RowUnreadable(`${columns.date} '${date}' must be written ${style === "mdy" ? "MM/DD/YYYY" : "YYYY-MM-DD"}`);
  if (!t) throw new RowUnreadable(`${columns.time} '${time}' must be written HH:MM, HH:MM:SS or hh:mm:ss AM/PM`);
  const [year, month, day] = style === "mdy" ? [d[3], d[1], d[2]] : [d[1], d[2], d[3]];
  let hour = Number(t[1]);
  const meridiem = t[4]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new RowUnreadable(`${columns.time} '${time}' is not a time`);
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  const local: LocalDateTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour,
    minute: Number(t[2]),
    second: Number(t[3] ?? 0),
  };
  return { local };
}

/** The column names of a tracker's detailed export (Toggl and Clockify differ in case and order only). */
export interface ExportColumns {
  readonly client: string;
  readonly project: string;
  readonly description: string;
  readonly billable: string;
  readonly tags: string;
  readonly startDate: string;
  readonly startTime: string;
  readonly endDate: string;
  readonly endTime: string;
}

/**
 * A tracker's detailed export: Description is the note, Project and Client the project, tags
 * comma-separated, Billable Yes/No, local times; the category is the import's parameter.
 */
export function trackerExport(format: ImportFormat, names: ExportColumns, dates: keyof typeof DATE): FormatReader {
  return {
    format,
    columns: Object.values(names),
    read(cells, row) {
      return {
        row,
        username: null,
        category: null,
        start: localTime(cells(names.startDate), cells(names.startTime), dates, { date: names.startDate, time: names.startTime }),
        end: localTime(cells(names.endDate), cells(names.endTime), dates, { date: names.endDate, time: names.endTime }),
        note: optional(cells(names.description)),
        project: optional(cells(names.project)),
        client: optional(cells(names.client)),
        tags: splitTags(cells(names.tags), ","),
        billable: yesNo(cells(names.billable), names.billable),
      };
    },
  };
}
