/**
 * `npm run bench -- --workers`: the same service on one SQLite file with WEB_CONCURRENCY=1 and
 * then 2, each loaded on category reads (GET /category) and 100-entry pages
 * (GET /entries/:username?limit=100); prints each rate, the ratio against the goal (≥ 1.3× with
 * 2 workers), and where the CPU went.
 *
 * The load generator shares the machine's cores with the service. autocannon (JavaScript) spends
 * most of a core to keep one service process busy, which leaves two workers on two cores little
 * to gain; wrk (C, Debian's package `wrk`) needs a fraction of that. The run uses wrk when it is
 * installed (BENCH_WORKERS_LOAD=autocannon or wrk chooses), and says which it used.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { startService } from "../test/support/service-process.js";
import { processCpuSeconds } from "./cpu.js";

const SECONDS = Number(process.env.BENCH_WORKERS_SECONDS ?? 8);
const CONNECTIONS = 32;
const TARGET = 1.3;
const PASSWORD = "correct horse battery";
const WRK = "/usr/bin/wrk";

type Loader = "wrk" | "autocannon";

function chosenLoader(): Loader {
  const asked = process.env.BENCH_WORKERS_LOAD;
  if (asked === "wrk" || asked === "autocannon") return asked;
  return existsSync(WRK) ? "wrk" : "autocannon";
}

/** The real service as a child process (the tests' helper), quiet but for warnings. */
const start = (env: Record<string, string>) => startService({ LOG_LEVEL: "warn", ...env }, 60_000);

async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

/** The process and its descendants (the primary and its workers), from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

const treeCpuSeconds = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);

interface Measured {
  readonly rate: number;
  /** Cores busy on average: the service's processes, and the load generator. */
  readonly serviceCores: number;
  readonly loaderCores: number;
}

async function loadWithAutocannon(url: string, token: string): Promise<{ ok: number; seconds: number; cpu: number }> {
  const before = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }, (error, done) =>
      error ? reject(error) : resolve(done),
    ),
  );
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const used = process.cpuUsage(before);
  return { ok: result["2xx"], seconds: SECONDS, cpu: (used.user + used.system) / 1e6 };
}

/** wrk with one thread; its summary lines give the requests, and any non-2xx or socket error fails the run. */
async function loadWithWrk(url: string, token: string): Promise<{ ok: number; seconds: number; cpu: number }> {
  const child = spawn(WRK, ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--timeout", "10s", "-H", `Authorization: Bearer ${token}`, url], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let cpu = 0;
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  // Sampled just before it exits: once it has, /proc no longer has its times.
  const sampler = setInterval(() => (cpu = processCpuSeconds(child.pid ?? -1) ?? cpu), 200);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
  const requests = /(\d+) requests in ([\d.]+)s/.exec(output);
  if (!requests) throw new Error(`wrk printed no totals:\n${output}`);
  // wrk prints these lines only when there were such answers or errors.
  if (/Non-2xx or 3xx responses|Socket errors/.test(output)) throw new Error(`${url}: not every request had a 2xx answer:\n${output}`);
  return { ok: Number(requests[1]), seconds: Number(requests[2]), cpu };
}

async function measure(loader: Loader, servicePid: number, url: string, token: string): Promise<Measured> {
  const pids = processTree(servicePid);
  const serviceBefore = treeCpuSeconds(pids);
  const started = process.hrtime.bigint();
  const load = loader === "wrk" ? await loadWithWrk(url, token) : await loadWithAutocannon(url, token);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    rate: load.ok / load.seconds,
    serviceCores: (treeCpuSeconds(pids) - serviceBefore) / wall,
    loaderCores: load.cpu / wall,
  };
}

export async function runWorkersBench(): Promise<void> {
  const loader = chosenLoader();
  const dir = mkdtempSync(join(tmpdir(), "tt-bench-workers-"));
  const env = { SQLITE_PATH: join(dir, "bench.sqlite"), RATE_LIMIT_REGISTER_PER_HOUR: "0", RATE_LIMIT_LOGIN_FAILURES: "0" };
  const loadBefore = loadavg()[0] ?? 0;
  try {
    // Seed once with a single process: a user with 100 entries, 20 categories.
    const seed = await start(env);
    await call(seed.url, "POST", "/register", { username: "bench", password: PASSWORD });
    const { token } = await call(seed.url, "POST", "/login", { username: "bench", password: PASSWORD });
    for (let i = 0; i < 20; i++) await call(seed.url, "POST", "/category", { name: `Category ${i}` }, token);
    for (let i = 0; i < 100; i++) {
      const day = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      await call(seed.url, "POST", "/entry", { category: "Category 1", start_time: `${day} 09:00:00`, end_time: `${day} 10:00:00` }, token);
    }
    await seed.stop();

    const scenarios = { "category reads": "/category", "100-entry pages": "/entries/bench?limit=100" } as const;
    const results: Record<string, Record<string, Measured>> = {};
    for (const workers of ["1", "2"]) {
      const service = await start({ ...env, WEB_CONCURRENCY: workers });
      try {
        const pid = service.child.pid;
        if (pid === undefined) throw new Error("the service has no pid");
        const { token: t } = await call(service.url, "POST", "/login", { username: "bench", password: PASSWORD });
        await measure(loader, pid, `${service.url}/category`, t); // warm-up of every worker's JIT
        for (const [name, path] of Object.entries(scenarios)) {
          (results[name] ??= {})[workers] = await measure(loader, pid, `${service.url}${path}`, t);
        }
      } finally {
        await service.stop();
      }
    }

    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`\nWEB_CONCURRENCY on SQLite, ${cpus().length} CPUs, ${SECONDS} s per scenario, ${CONNECTIONS} connections, load by ${loader}`);
    out(`load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after (other work on the machine skews the ratio)\n`);
    out("| scenario | 1 process req/s | 2 workers req/s | ratio | target | pass/fail | service cores (1 → 2) | load generator cores (1 → 2) |");
    out("|---|---:|---:|---:|---|---|---:|---:|");
    let missed = false;
    for (const [name, byWorkers] of Object.entries(results)) {
      const one = byWorkers["1"] as Measured;
      const two = byWorkers["2"] as Measured;
      const ratio = two.rate / one.rate;
      missed ||= ratio < TARGET;
      out(
        `| ${name} | ${one.rate.toFixed(0)} | ${two.rate.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ ${TARGET}× | ${ratio >= TARGET ? "pass" : "miss"} | ` +
          `${one.serviceCores.toFixed(2)} → ${two.serviceCores.toFixed(2)} | ${one.loaderCores.toFixed(2)} → ${two.loaderCores.toFixed(2)} |`,
      );
    }
    if (missed) out("\nTargets missed (a miss does not change the exit code).");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
