/** Command-line options of `npm run bench`. */
export type Storage = "mysql" | "sqlite" | "memory";

export const SCENARIOS = [
  "health",
  "register",
  "login",
  "category",
  "entry_write",
  "entries_read",
  "summary",
  "csv",
  "team_report",
  "sync_catchup",
  "import",
  "webhook_writes",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Seeds {
  /** Entries of the "small" reading user. */
  readonly smallUser: number;
  /** Entries of the "big" reading user, also the CSV export. */
  readonly bigUser: number;
  /** Entries of the user whose month is summarised. */
  readonly summaryUser: number;
  /** Members of the team whose year is reported. */
  readonly teamUsers: number;
  /** The team's entries in that year, all members together. */
  readonly teamEntries: number;
  /** Rows of the CSV file the import scenario posts. */
  readonly importRows: number;
}

export interface BenchOptions {
  readonly storage: Storage;
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioName[];
  /** Seconds per scenario and per ceiling. */
  readonly duration: number;
  /** Seconds of unmeasured load before each read-only scenario. */
  readonly warmup: number;
  /** Connections for the throughput scenarios and the bare node:http ceiling. */
  readonly connections: number;
  readonly seeds: Seeds;
  /** Write a V8 CPU profile of the service (to bench/results/profiles). */
  readonly cpuProf: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --storage mysql|sqlite|memory   the store to start the service on (default: sqlite)
  --quick                         2 s per scenario and small seeds: a few minutes, for CI
  --scenario a,b                  only these scenarios (${SCENARIOS.join(", ")})
  --duration <seconds>            seconds per scenario (default 15, quick 2)
  --connections <n>               connections for throughput scenarios (default 32)
  --big <n> --small <n> --summary-entries <n>
                                  seed sizes (default 100000 / 1000 / 10000; quick 2000 / 1000 / 1000)
  --team-users <n> --team-entries <n>
                                  the team report's team and its entries in the year
                                  (default 50 / 250000; quick 5 / 5000)
  --import-rows <n>               rows of the imported CSV file (default 100000, quick 5000 on sqlite;
                                  10000, quick 1000 on mysql and memory)
  --cpu-prof                      write a CPU profile of the service to bench/results/profiles
  --help

MySQL: TEST_MYSQL_URL (mysql://user:password@127.0.0.1:3306) or DB_HOST, DB_PORT, DB_USER,
DB_PASSWORD. A fresh database is created for the run and dropped afterwards.`;

export class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new UsageError(`${name} needs a whole number`);
  const value = Number(raw);
  if (value < 1 || value > max) throw new UsageError(`${name} must be from 1 to ${max}`);
  return value;
}

/** The seed sizes: the option that sets each, its largest value, its full and quick defaults. */
const SEED_SIZES: Record<keyof Seeds, { readonly flag: string; readonly max: number; readonly full: number; readonly quick: number }> = {
  bigUser: { flag: "--big", max: 1_000_000, full: 100_000, quick: 2_000 },
  smallUser: { flag: "--small", max: 1_000_000, full: 1_000, quick: 1_000 },
  summaryUser: { flag: "--summary-entries", max: 1_000_000, full: 10_000, quick: 1_000 },
  teamUsers: { flag: "--team-users", max: 1_000, full: 50, quick: 5 },
  teamEntries: { flag: "--team-entries", max: 5_000_000, full: 250_000, quick: 5_000 },
  // The file must stay under the import's 20 MB body limit (about 90 bytes a row). These are
  // SQLite's sizes, where the target is; elsewhere see IMPORT_ROWS_ELSEWHERE.
  importRows: { flag: "--import-rows", max: 200_000, full: 100_000, quick: 5_000 },
};

/**
 * The import's rows on MySQL and memory: it has no target there, and a row costs a handful of round
 * trips (MySQL) or a scan of the user's entries (memory), so 100,000 would take minutes.
 */
const IMPORT_ROWS_ELSEWHERE = { full: 10_000, quick: 1_000 };

export function parseOptions(argv: readonly string[]): BenchOptions {
  let storage: Storage = "sqlite";
  let quick = false;
  let scenarios: ScenarioName[] = [...SCENARIOS];
  let duration: number | undefined;
  let connections = 32;
  const seeds: Partial<Record<keyof Seeds, number>> = {};
  let cpuProf = false;
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "--storage": {
        const raw = value();
        if (raw !== "mysql" && raw !== "sqlite" && raw !== "memory") {
          throw new UsageError("--storage must be mysql, sqlite or memory");
        }
        storage = raw;
        break;
      }
      case "--quick":
        quick = true;
        break;
      case "--scenario":
      case "--scenarios": {
        const names = (value() ?? "").split(",").map((name) => name.trim()).filter(Boolean);
        const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
        if (names.length === 0 || unknown.length > 0) {
          throw new UsageError(`--scenario takes a list of: ${SCENARIOS.join(", ")} (unknown: ${unknown.join(", ")})`);
        }
        scenarios = SCENARIOS.filter((name) => names.includes(name));
        break;
      }
      case "--duration":
        duration = positiveInt("--duration", value(), 600);
        break;
      case "--connections":
        connections = positiveInt("--connections", value(), 1024);
        break;
      case "--cpu-prof":
        cpuProf = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default: {
        const seed = (Object.keys(SEED_SIZES) as (keyof Seeds)[]).find((name) => SEED_SIZES[name].flag === flag);
        if (seed === undefined) throw new UsageError(`unknown option ${arg}`);
        seeds[seed] = positiveInt(SEED_SIZES[seed].flag, value(), SEED_SIZES[seed].max);
      }
    }
  }

  const chosen = (seed: keyof Seeds): number => seeds[seed] ?? (quick ? SEED_SIZES[seed].quick : SEED_SIZES[seed].full);
  return {
    storage,
    quick,
    scenarios,
    duration: duration ?? (quick ? 2 : 15),
    warmup: quick ? 0 : 2,
    connections,
    seeds: {
      bigUser: chosen("bigUser"),
      smallUser: chosen("smallUser"),
      summaryUser: chosen("summaryUser"),
      teamUsers: chosen("teamUsers"),
      teamEntries: chosen("teamEntries"),
      importRows: seeds.importRows ?? (storage === "sqlite" ? chosen("importRows") : IMPORT_ROWS_ELSEWHERE[quick ? "quick" : "full"]),
    },
    cpuProf,
    help,
  };
}
