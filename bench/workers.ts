/**
 * `npm run bench -- --workers`: the same service on one SQLite file with WEB_CONCURRENCY=1 and
 * then 2, each loaded with autocannon on category reads (GET /category) and 100-entry pages
 * (GET /entries/:username?limit=100); prints each rate and the ratio (goal: ≥ 1.3× with 2 workers).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

const ROOT = join(import.meta.dirname, "..");
const SECONDS = Number(process.env.BENCH_WORKERS_SECONDS ?? 8);
const PASSWORD = "correct horse battery";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function start(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "main.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the service did not start");
}

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
    seed.child.kill("SIGTERM");
    await new Promise((resolve) => seed.child.once("exit", resolve));

    const rates: Record<string, Record<string, number>> = {};
    for (const workers of ["1", "2"]) {
      const service = await start({ ...env, WEB_CONCURRENCY: workers });
      const { token: t } = await call(service.url, "POST", "/login", { username: "bench", password: PASSWORD });
      await rate(service.url, "/category", t); // warm-up of every worker's JIT
      rates[workers] = {
        "category reads": await rate(service.url, "/category", t),
        "100-entry pages": await rate(service.url, "/entries/bench?limit=100", t),
      };
      service.child.kill("SIGTERM");
      await new Promise((resolve) => service.child.once("exit", resolve));
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
