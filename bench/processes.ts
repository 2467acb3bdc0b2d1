import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/service-process.js";
import { sleep } from "./http.js";

export const ROOT = join(import.meta.dirname, "..");

export { freePort };

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** The last 64 KiB the process wrote. */
  output(): string;
  stop(timeoutMs?: number): Promise<void>;
}

const OUTPUT_KEEP = 64 * 1024;

/**
 * Starts `node [nodeArgs] --import tsx <script>` with HOST/PORT set and waits until `readyPath`
 * answers 200 (at most `timeoutMs`).
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  options: { readyPath: string; nodeArgs?: readonly string[]; timeoutMs?: number },
): Promise<ChildServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--import", "tsx", join(ROOT, script)],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
        ...env,
        HOST: "127.0.0.1",
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > OUTPUT_KEEP) output = output.slice(-OUTPUT_KEEP);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running = false;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!running) throw new Error(`${script} exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${script} did not answer ${options.readyPath} in time:\n${output}`);
    }
    await sleep(100);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} has no pid`);

  return {
    url,
    pid,
    output: () => output,
    async stop(timeoutMs = 20_000) {
      if (!running) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process, in KiB. */
export interface MemoryReading {
  readonly rssKiB: number;
  /** The peak since start or since `resetPeak` (Linux only). */
  readonly hwmKiB: number | null;
}

function procStatus(pid: number): MemoryReading | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (!rss) return null;
    return { rssKiB: Number(rss[1]), hwmKiB: hwm ? Number(hwm[1]) : null };
  } catch {
    return null;
  }
}

function psRss(pid: number): Promise<MemoryReading | null> {
  return new Promise((resolve) => {
    execFile("ps", ["-o", "rss=", "-p", String(pid)], { timeout: 2000 }, (error, stdout) => {
      const kib = Number(stdout.trim());
      resolve(error || !Number.isFinite(kib) || kib <= 0 ? null : { rssKiB: kib, hwmKiB: null });
    });
  });
}

export async function readMemory(pid: number): Promise<MemoryReading | null> {
  return procStatus(pid) ?? (await psRss(pid));
}

/** Resets the kernel's peak-RSS mark (VmHWM) of a process we own; false where that is not possible. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export interface MemorySampler {
  /** Stops sampling; returns the highest RSS seen (KiB) and how many samples were taken. */
  stop(): Promise<{ peakKiB: number; samples: number; hwmKiB: number | null }>;
}

/** Samples the RSS of `pid` every `intervalMs` (/proc where there is one, else `ps`) until stopped. */
export function sampleMemory(pid: number, intervalMs: number, maxSamples = 1_000_000): MemorySampler {
  const useProc = procStatus(pid) !== null;
  let peakKiB = 0;
  let samples = 0;
  let busy = false;
  const timer = setInterval(
    () => {
      if (samples >= maxSamples) return;
      if (useProc) {
        const reading = procStatus(pid);
        if (reading) {
          samples++;
          peakKiB = Math.max(peakKiB, reading.rssKiB);
        }
        return;
      }
      if (busy) return;
      busy = true;
      void psRss(pid).then((reading) => {
        busy = false;
        if (reading) {
          samples++;
          peakKiB = Math.max(peakKiB, reading.rssKiB);
        }
      });
    },
    useProc ? intervalMs : Math.max(intervalMs, 50),
  );
  return {
    async stop() {
      clearInterval(timer);
      const last = await readMemory(pid);
      if (last) peakKiB = Math.max(peakKiB, last.rssKiB);
      return { peakKiB, samples, hwmKiB: last?.hwmKiB ?? null };
    },
  };
}
