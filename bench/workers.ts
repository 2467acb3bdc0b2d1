/**
 * `npm run bench -- --workers`: the same service on one SQLite file with WEB_CONCURRENCY=1 and
 * then 2, each loaded with autocannon on category reads (GET /category) and 100-entry pages
 * (GET /entries/:username?limit=100); prints each rate and the ratio (goal: ≥ 1.3× with 2 workers).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { startService } from "../test/support/service-process.js";

const SECONDS = Number(process.env.BENCH_WORKERS_SECONDS ?? 8);
const PASSWORD = "correct horse battery";

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

async function rate(url: string, path: string, token: string): Promise<number> {
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url: `${url}${path}`, connections: 32, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }, (error, done) =>
      error ? reject(error) : resolve(done),
    ),
  );
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result["2xx"] / SECONDS;
}

export async function runWorkersBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tt-bench-workers-"));
  const env = { SQLITE_PATH: join(dir, "bench.sqlite"), RATE_LIMIT_REGISTER_PER_HOUR: "0", RATE_LIMIT_LOGIN_FAILURES: "0" };
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

    const rates: Record<string, Record<string, number>> = {};
    for (const workers of ["1", "2"]) {
      const service = await start({ ...env, WEB_CONCURRENCY: workers });
      const { token: t } = await call(service.url, "POST", "/login", { username: "bench", password: PASSWORD });
      await rate(service.url, "/category", t); // warm-up of every worker's JIT
      rates[workers] = {
        "category reads": await rate(service.url, "/category", t),
        "100-entry pages": await rate(service.url, "/entries/bench?limit=100", t),
      };
      await service.stop();
    }
    process.stdout.write(`\nWEB_CONCURRENCY on SQLite, ${cpus().length} CPUs, ${SECONDS} s per scenario, 32 connections\n`);
    process.stdout.write("| scenario | 1 process req/s | 2 workers req/s | ratio |\n|---|---|---|---|\n");
    for (const scenario of Object.keys(rates["1"]!)) {
      const one = rates["1"]![scenario]!;
      const two = rates["2"]![scenario]!;
      process.stdout.write(`| ${scenario} | ${one.toFixed(0)} | ${two.toFixed(0)} | ${(two / one).toFixed(2)}× |\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
