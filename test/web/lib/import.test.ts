import { describe, expect, it } from "vitest";
import {
  createdNames,
  fileProblem,
  formatBytes,
  formatName,
  IMPORT_FORMATS,
  importSearch,
  MAX_IMPORT_BYTES,
  reportSummary,
  rowMessages,
  timeZoneChoices,
  unlistedNotes,
  type ImportReport,
} from "../../../web/src/lib/import.js";

const report = (fields: Partial<ImportReport> = {}): ImportReport => ({
  format: "toggl",
  dry_run: false,
  rows: 0,
  created: 0,
  duplicates: 0,
  failed: 0,
  errors: [],
  warnings: [],
  created_categories: [],
  created_projects: [],
  created_tags: [],
  ...fields,
});

describe("CSV import", () => {
  it("asks the dry run and the import with the same parameters, only dry_run differing", () => {
    const params = { format: "toggl" as const, tz: "Europe/Berlin", category: "Client work", atomic: false };
    expect(importSearch(params, true)).toBe("?format=toggl&tz=Europe%2FBerlin&category=Client+work&dry_run=true");
    expect(importSearch(params, false)).toBe("?format=toggl&tz=Europe%2FBerlin&category=Client+work&dry_run=false");
    expect(new URLSearchParams(importSearch({ ...params, atomic: true }, false)).get("atomic")).toBe("true");
  });

  it("leaves a blank category and zone to the API's defaults, and trims them", () => {
    const search = new URLSearchParams(importSearch({ format: "auto", tz: " ", category: "  ", atomic: false }, true));
    expect([...search.keys()]).toEqual(["format", "dry_run"]);
    expect(search.get("format")).toBe("auto");
    const trimmed = new URLSearchParams(importSearch({ format: "auto", tz: " UTC ", category: " Imported ", atomic: false }, true));
    expect([trimmed.get("tz"), trimmed.get("category")]).toEqual(["UTC", "Imported"]);
  });

  it("offers the API's four formats, and names a detected one", () => {
    expect(IMPORT_FORMATS.map((f) => f.value)).toEqual(["time-tracker", "toggl", "clockify", "seed-app"]);
    expect(formatName("toggl")).toBe("Toggl Track");
    expect(formatName("seed-app")).toBe("The seed app's template");
    expect(formatName("something-new")).toBe("something-new");
  });

  it("refuses a file over 20 MB before it is sent, saying its size; 20 MB itself may go", () => {
    expect(fileProblem({ name: "a.csv", size: MAX_IMPORT_BYTES })).toBeNull();
    expect(fileProblem({ name: "a.csv", size: 0 })).toBeNull();
    expect(fileProblem({ name: "big.csv", size: MAX_IMPORT_BYTES + 1 })).toBe(
      "big.csv is 20.1 MB; a file can be at most 20 MB. Split it into smaller files and import them one by one.",
    );
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("2 kB");
    expect(formatBytes(23.45 * 1024 * 1024)).toBe("23.5 MB");
  });

  it("says what an import did, in one sentence, with duplicates and failures only when there are some", () => {
    expect(reportSummary(report({ rows: 16, created: 12, duplicates: 3, failed: 1 }))).toBe("Imported 12 entries; 3 duplicates skipped; 1 row failed");
    expect(reportSummary(report({ rows: 1, created: 1 }))).toBe("Imported 1 entry");
    expect(reportSummary(report({ rows: 4, duplicates: 4 }))).toBe("Imported 0 entries; 4 duplicates skipped");
    expect(reportSummary(report({ rows: 2, created: 0, failed: 2 }))).toBe("Imported 0 entries; 2 rows failed");
    expect(reportSummary(report({ rows: 1500, created: 1500 }))).toBe("Imported 1,500 entries");
  });

  it("says what a dry run would do, and that a header alone imports nothing", () => {
    expect(reportSummary(report({ dry_run: true, rows: 5, created: 3, duplicates: 1, failed: 1 }))).toBe(
      "Would import 3 entries; 1 duplicate would be skipped; 1 row would fail",
    );
    expect(reportSummary(report({ dry_run: true }))).toBe("The file has no rows after its header: nothing to import.");
  });

  it("lists errors and warnings together by row, a row's error first", () => {
    const listed = rowMessages(
      report({
        errors: [
          { row: 5, message: "overlaps" },
          { row: 2, message: "bad date" },
        ],
        warnings: [
          { row: 2, message: "no project" },
          { row: 3, message: "no project" },
        ],
      }),
    );
    expect(listed).toEqual([
      { row: 2, message: "bad date", kind: "Error" },
      { row: 2, message: "no project", kind: "Warning" },
      { row: 3, message: "no project", kind: "Warning" },
      { row: 5, message: "overlaps", kind: "Error" },
    ]);
  });

  it("says when the API listed only the first 1,000 errors or warnings", () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({ row: i + 2, message: "bad" }));
    expect(unlistedNotes(report({ failed: 2, errors: thousand.slice(0, 2) }))).toEqual([]);
    expect(unlistedNotes(report({ failed: 1500, errors: thousand, warnings: thousand }))).toEqual([
      "Only the first 1,000 errors are listed, of 1,500 failed rows.",
      "Only the first 1,000 warnings are listed.",
    ]);
  });

  it("names what would be created, leaving out the kinds with none", () => {
    expect(createdNames(report({ created_categories: ["Imported"], created_tags: ["design", "client"] }))).toEqual([
      ["Categories", ["Imported"]],
      ["Tags", ["design", "client"]],
    ]);
    expect(createdNames(report())).toEqual([]);
  });

  it("offers every zone the browser knows, with its own and UTC always there, sorted", () => {
    expect(timeZoneChoices(["Europe/Berlin", "America/New_York"], "Asia/Calcutta")).toEqual([
      "America/New_York",
      "Asia/Calcutta",
      "Europe/Berlin",
      "UTC",
    ]);
    expect(timeZoneChoices([], "UTC")).toEqual(["UTC"]);
    expect(timeZoneChoices(["UTC", "Europe/Berlin"], "Europe/Berlin")).toEqual(["Europe/Berlin", "UTC"]);
  });
});
