import type { Ceiling } from "./ceilings.js";
import type { CpuShare } from "./cpu.js";
import type { LatencySummary, LedgerCheck } from "./load.js";
import type { ScenarioName } from "./options.js";

/** One line of the results table. */
export interface Row {
  readonly id: string;
  readonly scenario: ScenarioName;
  readonly skipped: string | null;
  readonly rps: number | null;
  readonly latency: LatencySummary | null;
  readonly responses: number;
  readonly non2xx: number;
  readonly statusCounts: Record<string, number>;
  readonly errors: number;
  /** The comparison with this row's ceiling, as a number and as the table shows it. */
  readonly ratio: number | null;
  readonly ratioText: string;
  readonly target: string;
  /** null: no target for this row. */
  readonly pass: boolean | null;
  /** Write checks: count in against count stored. */
  readonly check: (LedgerCheck & { readonly dbCount: number | null }) | null;
  /** Why this row fails the run (unexpected non-2xx, errors, a count that differs). */
  readonly failures: readonly string[];
  readonly notes: readonly string[];
  /** Where the CPU went during the load. */
  readonly cpu: CpuShare | null;
}

export function skippedRow(id: string, scenario: ScenarioName, reason: string): Row {
  return {
    id,
    scenario,
    skipped: reason,
    rps: null,
    latency: null,
    responses: 0,
    non2xx: 0,
    statusCounts: {},
    errors: 0,
    ratio: null,
    ratioText: "—",
    target: "—",
    pass: null,
    check: null,
    failures: [],
    notes: [reason],
    cpu: null,
  };
}

function num(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function rate(value: number): string {
  return value >= 100 ? num(value) : num(value, 1);
}

export function ms(value: number): string {
  return value >= 100 ? `${num(value)} ms` : `${num(value, 2)} ms`;
}

export function percent(ratio: number): string {
  return ratio >= 0.1 ? `${num(ratio * 100, 1)}%` : `${num(ratio * 100, 2)}%`;
}

function passText(row: Row): string {
  if (row.skipped) return "skipped";
  const failed = row.failures.length > 0 ? " ✗ FAILED" : "";
  if (row.pass === null) return `—${failed}`;
  return `${row.pass ? "pass" : "miss"}${failed}`;
}

export function resultsTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | req/s (2xx) | p50 | p99 | non-2xx | errors | ratio to its ceiling | target | pass/fail |",
    "|---|---:|---:|---:|---:|---:|---|---|---|",
  ];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(`| ${row.id} | — | — | — | — | — | — | — | skipped: ${row.skipped} |`);
      continue;
    }
    lines.push(
      `| ${row.id} | ${row.rps === null ? "—" : rate(row.rps)} | ${row.latency ? ms(row.latency.p50) : "—"} | ` +
        `${row.latency ? ms(row.latency.p99) : "—"} | ${row.non2xx} | ${row.errors} | ${row.ratioText} | ${row.target} | ${passText(row)} |`,
    );
  }
  return lines.join("\n");
}

export function ceilingsTable(ceilings: readonly Ceiling[]): string {
  const lines = ["| ceiling | rate | at once | p50 | p99 | what |", "|---|---:|---:|---:|---:|---|"];
  for (const ceiling of ceilings) {
    lines.push(
      `| ${ceiling.name} | ${rate(ceiling.rate)} ${ceiling.unit} | ${ceiling.concurrency} | ` +
        `${ceiling.latency ? ms(ceiling.latency.p50) : "—"} | ${ceiling.latency ? ms(ceiling.latency.p99) : "—"} | ${ceiling.detail} |`,
    );
  }
  return lines.join("\n");
}

export function checksTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | 2xx writes | cut off at the end (of which stored) | stored (API) | stored (database) | check |",
    "|---|---:|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const check = row.check;
    if (!check) continue;
    lines.push(
      `| ${row.id} | ${check.written} | ${check.inFlight} (${check.inFlightStored}) | ${check.stored} | ` +
        `${check.dbCount ?? "—"} | ${check.ok ? "ok" : "FAILED"}: ${check.detail} |`,
    );
  }
  return lines.length > 2 ? lines.join("\n") : "";
}

/** Each row's notes (what it checked beside its numbers, how to read them). */
export function notesTable(rows: readonly Row[]): string {
  const lines = ["| scenario | notes |", "|---|---|"];
  for (const row of rows) {
    if (row.skipped || row.notes.length === 0) continue;
    lines.push(`| ${row.id} | ${row.notes.join("; ").replace(/\|/g, "\\|")} |`);
  }
  return lines.length > 2 ? lines.join("\n") : "";
}

function micros(value: number | null): string {
  return value === null ? "—" : `${num(value)} µs`;
}

function cores(value: number | null): string {
  return value === null ? "—" : num(value, 2);
}

/**
 * CPU per process while each scenario ran, in cores (1.00 = one core busy the whole time). A
 * service near 1.00 is bound by its own event loop; a database or load generator near the
 * machine's core count leaves the service starved.
 */
export function cpuTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | service (cores) | service CPU per answer | database (cores) | database CPU per answer | load generator (cores) |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    const cpu = row.cpu;
    if (!cpu) continue;
    lines.push(
      `| ${row.id} | ${cores(cpu.service)} | ${micros(cpu.servicePerResponseUs)} | ${cores(cpu.database)} | ` +
        `${micros(cpu.databasePerResponseUs)} | ${cores(cpu.loadGenerator)} |`,
    );
  }
  return lines.length > 2 ? lines.join("\n") : "";
}
