import { stringify } from "csv-stringify";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvPieces } from "../../src/adapters/http/csv-export.js";
import { presentEntry } from "../../src/adapters/http/presenters.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { UNBOOKED } from "../support/fakes.js";

const NOTES = [null, 'say "hi", then leave', "two\r\nlines", "café 😀", "", "\n"];

function entries(count: number): TimeEntry[] {
  const base = Date.UTC(2026, 1, 10);
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    userId: 7,
    categoryId: 3,
    categoryName: i % 2 ? "Deep, work" : "Ops",
    ...UNBOOKED,
    start: new Date(base + i * 3_600_000),
    end: i % 5 === 4 ? null : new Date(base + i * 3_600_000 + 1_800_000),
    note: NOTES[i % NOTES.length] ?? null,
  }));
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of source) pieces.push(piece);
  return pieces;
}

/** What the export wrote before it was cut in pieces: one streaming stringifier, fed a row at a time. */
function rowByRow(items: readonly TimeEntry[], username: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    const stringifier = stringify({ header: true, columns: [...CSV_COLUMNS], record_delimiter: "windows", quoted_match: /[\r\n]/ });
    stringifier.on("data", (chunk: Buffer | string) => (out += String(chunk)));
    stringifier.on("end", () => resolve(out));
    stringifier.on("error", reject);
    for (const entry of items) {
      const row = presentEntry(entry, username);
      stringifier.write(CSV_COLUMNS.map((column) => {
        const value = row[column];
        // csv-stringify writes false as an empty field; the contract says true/false.
        if (typeof value === "boolean") return String(value);
        return Array.isArray(value) ? value.join(";") : (value ?? "");
      }));
    }
    stringifier.end();
  });
}

describe("csvPieces", () => {
  it("writes a piece per group of rows, the header in the first, not a piece per row", async () => {
    const items = entries(1_201);
    const pieces = await collect(csvPieces(each(items), "ana", 500));
    expect(pieces).toHaveLength(3);
    expect(pieces[0]?.startsWith(`${CSV_COLUMNS.join(",")}\r\n1,ana,Ops,`)).toBe(true);
    expect(pieces[1]?.startsWith("501,ana,")).toBe(true);
    expect(pieces[2]?.startsWith("1001,ana,")).toBe(true);
    expect(pieces.every((piece) => piece.endsWith("\r\n"))).toBe(true);
  });

  it("joined, is exactly what a stringifier fed row by row writes (quoting, CRLF, empty fields)", async () => {
    const items = entries(1_201);
    const joined = (await collect(csvPieces(each(items), "ana", 500))).join("");
    expect(joined).toBe(await rowByRow(items, "ana"));
    expect(joined).toContain('"Deep, work"');
    expect(joined).toContain('"say ""hi"", then leave"');
    expect(joined).toContain('"two\r\nlines"');
  });

  it("writes the header alone when there are no entries, and no empty piece after a full one", async () => {
    expect(await collect(csvPieces(each([]), "ana", 500))).toEqual([`${CSV_COLUMNS.join(",")}\r\n`]);
    expect(await collect(csvPieces(each(entries(1_000)), "ana", 500))).toHaveLength(2);
  });
});
