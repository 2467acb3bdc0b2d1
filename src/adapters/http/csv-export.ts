import { stringify } from "csv-stringify/sync";
import type { TimeEntry } from "../../domain/time-entry.js";
import { presentEntry } from "./presenters.js";

/** The seed's seven columns, then the six added with projects (appended, so old readers keep working). */
export const CSV_COLUMNS = [
  "id",
  "username",
  "category",
  "start_time",
  "end_time",
  "duration_seconds",
  "note",
  "project",
  "client",
  "tags",
  "billable",
  "hourly_rate_cents",
  "amount_cents",
] as const;

/**
 * Rows per piece of the export. Each piece is one write to the socket (and one HTTP chunk): a
 * write per row made 100,000 writes and chunks of a 100,000-row export, which took about 770 ms
 * on SQLite against about 450 ms in pieces.
 */
export const CSV_ROWS_PER_PIECE = 500;

// RFC 4180: CRLF after every record; a field holding a quote, comma, CR or LF is quoted.
const OPTIONS = { columns: [...CSV_COLUMNS], record_delimiter: "windows", quoted_match: /[\r\n]/ } as const;

/** A field as CSV holds it: null empty, tags joined with ";", booleans as true/false. */
function field(value: string | number | boolean | readonly string[] | null): string {
  if (value === null) return "";
  return Array.isArray(value) ? value.join(";") : String(value);
}

function csvRecord(entry: TimeEntry, username: string): string[] {
  const row = presentEntry(entry, username);
  return CSV_COLUMNS.map((column) => field(row[column]));
}

/**
 * The CSV text of `entries`, a piece of at most `rowsPerPiece` rows at a time: the header row
 * first (also when there are no entries), every record ending in CRLF. The pieces joined are
 * exactly what one stringifier fed row by row would write.
 */
export async function* csvPieces(
  entries: AsyncIterable<TimeEntry>,
  username: string,
  rowsPerPiece = CSV_ROWS_PER_PIECE,
): AsyncGenerator<string> {
  let header = true;
  let records: string[][] = [];
  for await (const entry of entries) {
    records.push(csvRecord(entry, username));
    if (records.length >= rowsPerPiece) {
      yield stringify(records, { ...OPTIONS, header });
      header = false;
      records = [];
    }
  }
  if (header || records.length > 0) yield stringify(records, { ...OPTIONS, header });
}
