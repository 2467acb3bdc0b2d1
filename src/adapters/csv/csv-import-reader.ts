import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { ValidationFailed } from "../../domain/errors.js";
import type {
  ImportFile,
  ImportFormat,
  ImportReader,
  ImportRow,
  UnreadableRow,
} from "../../application/ports/import-reader.js";
import { RowUnreadable, type FormatReader } from "./formats/cells.js";
import { clockifyFormat } from "./formats/clockify.js";
import { seedAppFormat } from "./formats/seed-app.js";
import { timeTrackerFormat } from "./formats/time-tracker.js";
import { togglFormat } from "./formats/toggl.js";

/** In the order `auto` tries them; their required columns tell them apart. */
const FORMATS: readonly FormatReader[] = [timeTrackerFormat, seedAppFormat, togglFormat, clockifyFormat];

/** A malformed file (an unclosed quote) is the request's fault; anything else is passed on. */
function malformed(error: unknown): unknown {
  return error instanceof CsvError ? new ValidationFailed("body", `is not valid CSV: ${error.message}`) : error;
}

/**
 * CSV import files through csv-parse's streaming parser: a record at a time, as the use case
 * asks for them, so memory does not grow with the file. A UTF-8 byte-order mark is dropped, empty
 * lines skipped; a quoted field with line breaks is one record.
 */
export class CsvImportReader implements ImportReader {
  async open(body: AsyncIterable<Uint8Array | string>, requested: ImportFormat | "auto"): Promise<ImportFile> {
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
    const source = body instanceof Readable ? body : Readable.from(body);
    // Errors of the source (a body over its limit) and of the parser end the records with that error.
    pipeline(source, parser).catch(() => undefined);
    const iterator = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
    let first: IteratorResult<string[]>;
    try {
      first = await iterator.next();
    } catch (error) {
      throw malformed(error);
    }
    if (first.done) throw new ValidationFailed("body", "must start with a header row");
    const header = first.value.map((name) => name.trim());
    const reader = chooseFormat(header, requested);
    const index = new Map(header.map((name, i) => [name, i] as const));
    return { format: reader.format, records: records(iterator, reader, index) };
  }
}

function chooseFormat(header: readonly string[], requested: ImportFormat | "auto"): FormatReader {
  const fits = (format: FormatReader) => format.columns.every((column) => header.includes(column));
  if (requested === "auto") {
    const found = FORMATS.find(fits);
    if (!found) {
      throw new ValidationFailed(
        "format",
        "could not be detected from the header row: expected this service's export, the seed app's template, or a Toggl or Clockify detailed export",
      );
    }
    return found;
  }
  const format = FORMATS.find((candidate) => candidate.format === requested);
  if (!format || !fits(format)) {
    const missing = format?.columns.filter((column) => !header.includes(column)) ?? [];
    throw new ValidationFailed("format", `${requested} needs the header columns ${missing.join(", ")}`);
  }
  return format;
}

async function* records(
  iterator: AsyncIterator<string[]>,
  reader: FormatReader,
  index: ReadonlyMap<string, number>,
): AsyncGenerator<ImportRow | UnreadableRow> {
  let row = 1;
  for (;;) {
    let next: IteratorResult<string[]>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw malformed(error);
    }
    if (next.done) return;
    row++;
    const cells = next.value;
    try {
      yield reader.read((column) => {
        const at = index.get(column);
        return at === undefined ? "" : (cells[at] ?? "");
      }, row);
    } catch (error) {
      if (!(error instanceof RowUnreadable)) throw error;
      yield { row, error: error.message };
    }
  }
}
