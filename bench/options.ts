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
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Seeds {
  /** Entries of the "small" reading user. */
  readonly smallUser: number;
  /** Entries of the "big" reading user, also the CSV export. */
  readonly bigUser: number;
  /** Entries of the user whose month is summarised. */
  readonly summaryUser: number;
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

export function parseOptions(argv: readonly string[]): BenchOptions {
  let storage: Storage = "sqlite";
  let quick = false;
  let scenarios: ScenarioName[] = [...SCENARIOS];
  let duration: number | undefined;
  let connections = 32;
  let big: number | undefined;
  let small: number | undefined;
  let summary: number | undefined;
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
      case "--big":
        big = positiveInt("--big", value(), 1_000_000);
        break;
      case "--small":
        small = positiveInt("--small", value(), 1_000_000);
        break;
      case "--summary-entries":
        summary = positiveInt("--summary-entries", value(), 1_000_000);
        break;
      case "--cpu-prof":
        cpuProf = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }

  return {
    storage,
    quick,
    scenarios,
    duration: duration ?? (quick ? 2 : 15),
    warmup: quick ? 0 : 2,
    connections,
    seeds: {
      bigUser: big ?? (quick ? 2_000 : 100_000),
      smallUser: small ?? 1_000,
      summaryUser: summary ?? (quick ? 1_000 : 10_000),
    },
    cpuProf,
    help,
  };
}
