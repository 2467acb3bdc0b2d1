/**
 * `npm run bench`: starts the service on the named store, seeds it through its API, loads each
 * scenario with autocannon for a fixed time, checks that every 2xx write is stored, and puts the
 * numbers next to the raw ceilings of this machine measured in the same run.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  ensureCategories,
  registerAndLogIn,
  seedEntries,
  walkEntries,
  type BenchUser,
  type SeedJob,
  type SlotPlan,
} from "./api.js";
import { findDatabasePid, processCpuSeconds } from "./cpu.js";
import {
  argon2Ceiling,
  bareHttpCeiling,
  rawInsertCeiling,
  rawPageCeiling,
  rawReportCeiling,
  rawSyncCeiling,
  rawTransactionCeiling,
  type Ceiling,
} from "./ceilings.js";
import { HttpClient } from "./http.js";
import { parseOptions, UsageError, USAGE, type BenchOptions, type ScenarioName } from "./options.js";
import { ROOT, startChild, type ChildServer } from "./processes.js";
import { ceilingsTable, checksTable, cpuTable, notesTable, resultsTable, skippedRow, type Row } from "./report.js";
import { importCsv, syncCatchup, SYNC_LIMIT, webhookWrites } from "./integrations.js";
import {
  category,
  csv,
  cursorKey,
  entriesRead,
  entryWriteAll,
  health,
  login,
  register,
  summary,
  teamReport,
  type BenchContext,
} from "./scenarios.js";
import { MYSQL_POOL_SIZE, prepareStore, type PreparedStore } from "./stores.js";
import { createCatalogue, REPORT_YEAR, seedTeam } from "./team.js";

const MONTH_FROM = Date.UTC(2024, 2, 1);
const MONTH_TO = Date.UTC(2024, 3, 1);

const PLANS = {
  read: { baseMs: Date.UTC(2015, 0, 1), stepSeconds: 900, lengthSeconds: 600 } satisfies SlotPlan,
  write: { baseMs: Date.UTC(2021, 0, 1), stepSeconds: 120, lengthSeconds: 60 } satisfies SlotPlan,
  ceiling: { baseMs: Date.UTC(2019, 0, 1), stepSeconds: 120, lengthSeconds: 60 } satisfies SlotPlan,
};

/** The summarised user's entries all fall in March 2024, whatever their number. */
function summaryPlan(entries: number): SlotPlan {
  const step = Math.max(2, Math.floor((MONTH_TO - MONTH_FROM) / 1000 / Math.max(1, entries)));
  return { baseMs: MONTH_FROM, stepSeconds: step, lengthSeconds: Math.max(1, Math.floor((step * 3) / 4)) };
}

const SCENARIO_RUNNERS: Record<ScenarioName, (ctx: BenchContext) => Promise<Row[]>> = {
  health,
  register,
  login,
  category,
  entry_write: entryWriteAll,
  entries_read: entriesRead,
  summary,
  csv,
  team_report: teamReport,
  sync_catchup: syncCatchup,
  import: importCsv,
  webhook_writes: webhookWrites,
};

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  log(`${label}…`);
  const result = await work();
  log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function needs(options: BenchOptions, ...names: ScenarioName[]): boolean {
  return names.some((name) => options.scenarios.includes(name));
}

/** What seeding leaves for the scenarios (the rest of their context comes from the run). */
type Seeded = Omit<BenchContext, "options" | "store" | "service" | "client" | "tag" | "ceiling" | "cpu"> & {
  /** The user whose rows the raw INSERT ceiling writes (mysql and sqlite). */
  readonly ceilingUser: BenchUser | null;
  /** The users whose rows the raw transaction ceiling writes, one per connection (mysql). */
  readonly transactionUsers: readonly BenchUser[];
};

async function seed(
  options: BenchOptions,
  store: PreparedStore,
  service: ChildServer,
  client: HttpClient,
  tag: string,
): Promise<Seeded> {
  const wantWriters = needs(options, "entry_write");
  const wantRead = needs(options, "entries_read");
  const wantBig = needs(options, "entries_read", "csv", "sync_catchup");
  const wantImport = needs(options, "import");
  const wantHooks = needs(options, "webhook_writes");
  const wantSummary = needs(options, "summary");
  const wantCeilingUser = wantWriters && store.storage !== "memory";
  // The team's entries go straight into the tables: not on the memory store.
  const wantTeam = needs(options, "team_report") && store.storage !== "memory";

  const names: string[] = [`${tag}_main`];
  const writerNames = wantWriters ? Array.from({ length: 32 }, (_, i) => `${tag}_w${String(i).padStart(2, "0")}`) : [];
  names.push(...writerNames);
  const taggedNames = wantWriters ? Array.from({ length: 32 }, (_, i) => `${tag}_g${String(i).padStart(2, "0")}`) : [];
  names.push(...taggedNames);
  if (wantWriters) names.push(`${tag}_single`);
  if (wantRead) names.push(`${tag}_small`);
  if (wantBig) names.push(`${tag}_big`);
  if (wantSummary) names.push(`${tag}_summary`);
  if (wantCeilingUser) names.push(`${tag}_ceiling`);
  if (wantImport) names.push(`${tag}_import`);
  // webhook_writes: 32 writers without a webhook, then 32 with one each.
  const plainNames = wantHooks ? Array.from({ length: 32 }, (_, i) => `${tag}_p${String(i).padStart(2, "0")}`) : [];
  const hookedNames = wantHooks ? Array.from({ length: 32 }, (_, i) => `${tag}_h${String(i).padStart(2, "0")}`) : [];
  names.push(...plainNames, ...hookedNames);
  const transactionNames =
    wantWriters && store.storage === "mysql"
      ? Array.from({ length: MYSQL_POOL_SIZE }, (_, i) => `${tag}_t${String(i).padStart(2, "0")}`)
      : [];
  names.push(...transactionNames);

  // The main user first and alone: the first account of the instance is its owner, who makes the catalogue and the team.
  const users = await timed(`registering ${names.length} users`, async () => [
    ...(await registerAndLogIn(client, names.slice(0, 1))),
    ...(await registerAndLogIn(client, names.slice(1))),
  ]);
  const byName = new Map(users.map((user) => [user.username, user]));
  const get = (name: string): BenchUser | null => byName.get(`${tag}_${name}`) ?? null;
  const main = get("main");
  if (!main) throw new Error("no main user");

  const categories = Array.from({ length: 20 }, (_, i) => `Bench ${String(i + 1).padStart(2, "0")}`);
  await ensureCategories(client, main.token, categories);

  const catalogue =
    wantWriters || wantTeam ? await timed("clients, projects and tags", () => createCatalogue(client, main, categories[0] as string)) : null;
  const teamNames = Array.from({ length: wantTeam ? options.seeds.teamUsers : 0 }, (_, i) => `${tag}_m${String(i).padStart(3, "0")}`);
  const team =
    catalogue && wantTeam
      ? await timed(`the team: ${teamNames.length} users, ${options.seeds.teamEntries.toLocaleString("en-US")} entries inserted in bulk`, () =>
          seedTeam(client, store, main, teamNames, options.seeds.teamEntries, catalogue),
        )
      : null;
  if (team) log(`team: ${team.seconds.api.toFixed(1)} s through the API, ${team.seconds.insert.toFixed(1)} s inserting`);

  const seeded = {
    small: wantRead ? options.seeds.smallUser : 0,
    big: wantBig ? options.seeds.bigUser : 0,
    summary: wantSummary ? options.seeds.summaryUser : 0,
  };
  const plans = {
    write: PLANS.write,
    summary: summaryPlan(seeded.summary || 1),
    summaryMonth: { from: new Date(MONTH_FROM).toISOString().replace(".000", ""), to: new Date(MONTH_TO).toISOString().replace(".000", "") },
  };
  const small = get("small");
  const big = get("big");
  const summaryUser = get("summary");
  const jobs: SeedJob[] = [];
  if (small) jobs.push({ user: small, plan: PLANS.read, count: seeded.small });
  if (big) jobs.push({ user: big, plan: PLANS.read, count: seeded.big });
  if (summaryUser) jobs.push({ user: summaryUser, plan: plans.summary, count: seeded.summary });
  const total = jobs.reduce((sum, job) => sum + job.count, 0);
  if (total > 0) {
    const result = await timed(`seeding ${total.toLocaleString("en-US")} entries through POST /entry`, () =>
      seedEntries(service.url, jobs, categories, 32),
    );
    log(`seeded at ${result.rps.toFixed(0)} entries/s`);
  }

  // Check the seed through the API and keep the cursor of every page for the reading scenarios.
  const cursors = new Map<string, (string | null)[]>();
  await timed("checking the seed and collecting page cursors", async () => {
    for (const job of jobs) {
      const limits = wantRead && (job.user === small || job.user === big) ? [100, 1000] : [1000];
      for (const limit of limits) {
        const walk = await walkEntries(client, job.user, limit);
        if (walk.count !== job.count) {
          throw new Error(`${job.user.username}: ${job.count} entries written with 2xx, the API lists ${walk.count}`);
        }
        cursors.set(cursorKey(job.user.username, limit), walk.cursors);
      }
      const direct = await store.countEntries([job.user.id]);
      if (direct !== null && direct !== job.count) {
        throw new Error(`${job.user.username}: ${job.count} entries written with 2xx, the database holds ${direct}`);
      }
    }
  });

  return {
    categories,
    users: {
      main,
      writers: writerNames.map((name) => byName.get(name)).filter((user): user is BenchUser => user !== undefined),
      tagged: taggedNames.map((name) => byName.get(name)).filter((user): user is BenchUser => user !== undefined),
      single: get("single"),
      small,
      big,
      summary: summaryUser,
      importer: get("import"),
      plainWriters: plainNames.map((name) => byName.get(name)).filter((user): user is BenchUser => user !== undefined),
      hookedWriters: hookedNames.map((name) => byName.get(name)).filter((user): user is BenchUser => user !== undefined),
    },
    seeded,
    catalogue,
    team,
    cursors,
    plans,
    ceilingUser: get("ceiling"),
    transactionUsers: transactionNames.map((name) => byName.get(name)).filter((user): user is BenchUser => user !== undefined),
  };
}

async function categoryId(client: HttpClient, token: string, name: string): Promise<number> {
  const res = await client.expect(200, "GET", "/category", { token });
  const found = res.json<{ categories: { id: number; name: string }[] }>().categories.find((c) => c.name === name);
  if (!found) throw new Error(`category ${name} not found`);
  return found.id;
}

/** The page size of the raw page ceiling: the `limit=1000` scenarios'. */
const RAW_PAGE_LIMIT = 1000;

/** A ceiling with the database's CPU per operation, to set beside its CPU per answer in the scenarios. */
async function withDatabaseCpu(store: PreparedStore, what: string, measure: () => Promise<Ceiling>): Promise<Ceiling> {
  const databasePid = store.storage === "mysql" ? findDatabasePid() : null;
  const before = databasePid === null ? null : processCpuSeconds(databasePid);
  const ceiling = await measure();
  const after = databasePid === null ? null : processCpuSeconds(databasePid);
  const operations = ceiling.rate * ceiling.seconds;
  if (before === null || after === null || operations <= 0) return ceiling;
  const perOperationUs = Math.round(((after - before) * 1e6) / operations);
  return { ...ceiling, detail: `${ceiling.detail}; database CPU ${perOperationUs} µs per ${what}` };
}

/** Ceilings are measured when a scenario first needs one, right before its load, and kept. */
function ceilingsOnDemand(
  options: BenchOptions,
  store: PreparedStore,
  client: HttpClient,
  seeded: Seeded,
): { get(name: Ceiling["name"]): Promise<Ceiling | undefined>; measured: Map<Ceiling["name"], Ceiling> } {
  const pending = new Map<Ceiling["name"], Promise<Ceiling | undefined>>();
  const measured = new Map<Ceiling["name"], Ceiling>();
  const measure = async (name: Ceiling["name"]): Promise<Ceiling | undefined> => {
    switch (name) {
      case "bare_http":
        return timed("ceiling: bare node:http", () => bareHttpCeiling(options.connections, options.duration, options.warmup));
      case "argon2":
        return timed("ceiling: argon2id hashes", () => argon2Ceiling(options.duration));
      case "raw_insert": {
        const user = seeded.ceilingUser;
        if (!user) return undefined;
        const category = await categoryId(client, seeded.users.main.token, seeded.categories[0] as string);
        return withDatabaseCpu(store, "insert", () =>
          timed("ceiling: raw INSERT", () => rawInsertCeiling(store, user.id, category, PLANS.ceiling, options.duration)),
        );
      }
      case "raw_page": {
        const user = seeded.users.small;
        if (!user || store.storage !== "mysql") return undefined;
        const page = await client.expect(200, "GET", `/entries/${encodeURIComponent(user.username)}?limit=${RAW_PAGE_LIMIT}`, {
          token: user.token,
        });
        return timed("ceiling: raw page", () =>
          rawPageCeiling(
            store,
            user,
            RAW_PAGE_LIMIT,
            page.text,
            options.connections,
            options.duration,
            options.warmup,
          ),
        );
      }
      case "raw_report": {
        const team = seeded.team;
        if (!team) return undefined;
        const read = { userIds: team.memberIds, from: new Date(REPORT_YEAR.from), to: new Date(REPORT_YEAR.to), rows: team.entries };
        return timed("ceiling: raw report", () => rawReportCeiling(store, read, options.duration, options.warmup));
      }
      case "raw_sync": {
        const user = seeded.users.big;
        if (!user || store.storage === "memory") return undefined;
        const changes = (await store.countEntries([user.id])) ?? seeded.seeded.big;
        return timed("ceiling: raw sync", () =>
          rawSyncCeiling(store, { userId: user.id, limit: SYNC_LIMIT, changes }, options.duration, options.warmup),
        );
      }
      case "raw_transaction": {
        if (seeded.transactionUsers.length === 0) return undefined;
        const category = await categoryId(client, seeded.users.main.token, seeded.categories[0] as string);
        const ids = seeded.transactionUsers.map((user) => user.id);
        return withDatabaseCpu(store, "write", () =>
          timed("ceiling: raw transaction", () => rawTransactionCeiling(store, ids, category, PLANS.ceiling, options.duration)),
        );
      }
    }
  };
  return {
    measured,
    get(name) {
      let promise = pending.get(name);
      if (!promise) {
        promise = measure(name).then((ceiling) => {
          if (ceiling) measured.set(name, ceiling);
          return ceiling;
        });
        pending.set(name, promise);
      }
      return promise;
    },
  };
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

async function main(): Promise<number> {
  // `npm run bench -- --workers`: WEB_CONCURRENCY=2 against one process (bench/workers.ts).
  if (process.argv.includes("--workers")) {
    await (await import("./workers.js")).runWorkersBench();
    return 0;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const startedAt = new Date();
  const loadBefore = loadavg()[0] ?? 0;
  const tag = `b${randomBytes(3).toString("hex")}`;
  log(
    `${options.quick ? "quick" : "full"} run on ${options.storage}: ${options.scenarios.join(", ")}; ` +
      `${options.duration} s each, ${options.connections} connections`,
  );

  let store: PreparedStore | null = null;
  let service: ChildServer | null = null;
  const client: { current: HttpClient | null } = { current: null };
  let interrupted = false;
  const cleanUp = async () => {
    client.current?.close();
    await service?.stop().catch(() => undefined);
    await store?.dispose().catch((error: unknown) => log(`clean-up failed: ${String(error)}`));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the service and removing the database`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    store = await timed(`preparing ${options.storage}`, () => prepareStore(options.storage));
    const profileDir = join(ROOT, "bench", "results", "profiles");
    if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
    const prepared = store;
    service = await timed("starting the service", () =>
      startChild(
        "src/main.ts",
        {
          ...prepared.env,
          LOG_LEVEL: "warn",
          RATE_LIMIT_REGISTER_PER_HOUR: "0",
          RATE_LIMIT_LOGIN_FAILURES: "0",
          // webhook_writes delivers to a receiver on 127.0.0.1.
          WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        },
        {
          readyPath: "/health",
          nodeArgs: options.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
          timeoutMs: 60_000,
        },
      ),
    );
    const http = new HttpClient(service.url, 32);
    client.current = http;

    const seeded = await seed(options, store, service, http, tag);
    const ceilings = ceilingsOnDemand(options, store, http, seeded);
    const cpu = { servicePid: service.pid, databasePid: store.storage === "mysql" ? findDatabasePid() : null };
    const ctx: BenchContext = { ...seeded, options, store, service, client: http, tag, cpu, ceiling: ceilings.get };

    const rows: Row[] = [];
    for (const name of options.scenarios) {
      try {
        const produced = await timed(`scenario ${name}`, () => SCENARIO_RUNNERS[name](ctx));
        rows.push(...produced);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`scenario ${name} broke: ${message}`);
        rows.push({ ...skippedRow(name, name, `broke: ${message.slice(0, 200)}`), failures: [message] });
      }
    }

    const failures = rows.flatMap((row) => row.failures.map((failure) => `${row.id}: ${failure}`));
    const misses = rows.filter((row) => row.pass === false).map((row) => row.id);
    const ceilingList = [...ceilings.measured.values()];
    const markdown = [
      `## Benchmark: ${options.storage}${store.version ? ` (${store.version})` : ""}, ${options.quick ? "quick" : "full"}, ` +
        `${options.duration} s per scenario`,
      "",
      `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
        `seeds: ${ctx.seeded.small} / ${ctx.seeded.big} / ${ctx.seeded.summary} entries (small / big / summary)` +
        (ctx.team ? `, ${ctx.team.entries} entries of a team of ${ctx.team.memberIds.length} (team report); ` : "; ") +
        `load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after (other work on the machine skews ratios)`,
      "",
      ceilingList.length > 0 ? `### Ceilings\n\n${ceilingsTable(ceilingList)}\n` : "",
      "### Scenarios",
      "",
      resultsTable(rows),
      "",
      cpuTable(rows) ? `### Where the CPU went\n\n${cpuTable(rows)}\n` : "",
      checksTable(rows) ? `### Writes: count in = count stored\n\n${checksTable(rows)}\n` : "",
      notesTable(rows) ? `### Notes\n\n${notesTable(rows)}\n` : "",
      misses.length > 0 ? `Targets missed: ${misses.join(", ")}.` : "Every target met.",
      failures.length > 0 ? `\nFAILED:\n${failures.map((failure) => `- ${failure}`).join("\n")}` : "",
    ].join("\n");

    const resultsDir = join(ROOT, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${timestamp()}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          options,
          machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model ?? null,
            memoryBytes: totalmem(),
            node: process.version,
            loadAverageBefore: loadBefore,
            loadAverageAfter: loadavg()[0] ?? 0,
          },
          store: { storage: store.storage, version: store.version },
          seeded: ctx.seeded,
          ceilings: Object.fromEntries(ceilings.measured),
          rows,
          missedTargets: misses,
          failures,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`${markdown}\n\nResults: ${join("bench", "results", file.split("/").at(-1) ?? "")}\n`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    if (!interrupted) await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
