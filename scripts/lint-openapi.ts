import "reflect-metadata";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildApp } from "../src/app.js";
import { openStore } from "../src/adapters/persistence/open-store.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

/**
 * Lints the OpenAPI document the service serves at /openapi.json with Redocly CLI's `lint` (the
 * exact version pinned in package.json) and the rules of redocly.yaml: `recommended`, nothing
 * turned off. Any error, any warning, and any problem hidden by a lint-ignore file fails it.
 *
 *   npm run lint:openapi
 *
 * test/http/openapi-lint.test.ts runs the same lint on the document as a client receives it.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REDOCLY_CONFIG = join(ROOT, "redocly.yaml");
const LINT_TIMEOUT_MS = 50_000;

export interface LintProblem {
  readonly ruleId: string;
  readonly severity: "error" | "warn";
  readonly message: string;
  readonly location?: readonly { readonly pointer?: string; readonly start?: { readonly line: number; readonly col: number } }[];
}

export interface LintResult {
  /** The version of Redocly CLI that ran, as it reports it. */
  readonly version: string;
  readonly totals: { readonly errors: number; readonly warnings: number; readonly ignored: number };
  readonly problems: readonly LintProblem[];
  readonly exitCode: number | null;
  /** What the CLI wrote for people (its summary line among it). */
  readonly stderr: string;
}

/** Where the installed Redocly CLI's entry point is. */
async function redoclyCli(): Promise<string> {
  const manifestPath = createRequire(import.meta.url).resolve("@redocly/cli/package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { bin: Record<string, string> };
  const bin = manifest.bin.redocly;
  if (!bin) throw new Error(`${manifestPath} names no redocly executable`);
  return join(dirname(manifestPath), bin);
}

function run(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: "off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: LINT_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      if (signal) reject(new Error(`redocly lint was stopped by ${signal} (timeout ${LINT_TIMEOUT_MS} ms?)\n${stderr}`));
      else resolvePromise({ stdout, stderr, exitCode });
    });
  });
}

/** Runs `redocly lint` on the document (written to a temporary file) and reads its JSON report. */
export async function lintOpenApi(document: unknown): Promise<LintResult> {
  const cli = await redoclyCli();
  const dir = await mkdtemp(join(tmpdir(), "openapi-lint-"));
  try {
    const file = join(dir, "openapi.json");
    await writeFile(file, JSON.stringify(document, null, 2) + "\n");
    const { stdout, stderr, exitCode } = await run(
      [cli, "lint", file, "--config", REDOCLY_CONFIG, "--format", "json"],
      dir,
    );
    let report: Omit<LintResult, "exitCode" | "stderr">;
    try {
      report = JSON.parse(stdout) as typeof report;
    } catch {
      throw new Error(`redocly lint (exit ${exitCode}) wrote no JSON report:\n${stdout}\n${stderr}`);
    }
    if (!report.totals || !Array.isArray(report.problems)) {
      throw new Error(`redocly lint wrote an unexpected report:\n${stdout}`);
    }
    return { version: report.version, totals: report.totals, problems: report.problems, exitCode, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** True only for 0 errors, 0 warnings, nothing ignored, and a zero exit. */
export function isClean(result: LintResult): boolean {
  const { errors, warnings, ignored } = result.totals;
  return errors === 0 && warnings === 0 && ignored === 0 && result.problems.length === 0 && result.exitCode === 0;
}

/** One line per problem: where, severity, rule, message. */
export function describeProblems(result: LintResult): string {
  return result.problems
    .map((problem) => {
      const where = problem.location?.[0];
      const at = where?.start ? `${where.start.line}:${where.start.col}` : "?";
      return `  ${at}\t${problem.severity}\t${problem.ruleId}\t${where?.pointer ?? ""}\t${problem.message}`;
    })
    .join("\n");
}

export function summary(result: LintResult): string {
  const { errors, warnings, ignored } = result.totals;
  return `Redocly CLI ${result.version} lint of /openapi.json: ${errors} errors, ${warnings} warnings, ${ignored} ignored`;
}

/** The document a STORAGE=memory instance serves at /openapi.json, built in this process. */
export async function servedOpenApiDocument(): Promise<unknown> {
  const config = loadConfig({ STORAGE: "memory" });
  const store = await openStore(config, createLogger("silent"));
  const app = await buildApp({ store, config });
  try {
    await app.ready();
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}: ${response.body}`);
    return response.json();
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const result = await lintOpenApi(await servedOpenApiDocument());
  // The CLI's own report for people (its verdict last), then each problem and the totals.
  process.stderr.write(result.stderr);
  if (result.problems.length > 0) process.stdout.write(`${describeProblems(result)}\n`);
  process.stdout.write(`${summary(result)}\n`);
  if (!isClean(result)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
