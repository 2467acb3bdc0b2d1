import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Logger } from "pino";

const METRICS_REQUEST = "time-tracker:metrics-request";
const METRICS_REPLY = "time-tracker:metrics-reply";
/** A worker that dies sooner than this after it started counts as a crash at start-up. */
const QUICK_DEATH_MS = 5_000;
const MAX_RESPAWN_DELAY_MS = 10_000;

interface MetricsRequest {
  readonly type: typeof METRICS_REQUEST;
  readonly id: number;
}
interface MetricsReply {
  readonly type: typeof METRICS_REPLY;
  readonly id: number;
  readonly body?: string;
  readonly error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T["type"]): message is T =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;

export interface PrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** How long workers get to finish after SIGTERM before they are killed. */
  readonly shutdownTimeoutMs: number;
}

/**
 * The primary process of WEB_CONCURRENCY > 1: it serves nothing itself. It forks the workers
 * (each a whole service on the shared port), replaces one that dies, answers workers' requests
 * for the metrics of all workers, and on SIGTERM/SIGINT tells every worker to drain and waits
 * for them (killing any still running after `shutdownTimeoutMs`), then exits.
 */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const startedAt = new Map<Worker, number>();
  let quickDeaths = 0;
  let stopping = false;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.once("online", () => logger.info({ worker: worker.id, pid: worker.process.pid }, "worker started"));
    // Only a worker that listens gets connections: until then the others serve the port alone.
    worker.once("listening", () => logger.info({ worker: worker.id, pid: worker.process.pid }, "worker listening"));
  };

  cluster.on("message", (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, METRICS_REQUEST)) return;
    aggregator.clusterMetrics().then(
      (body) => worker.send({ type: METRICS_REPLY, id: message.id, body } satisfies MetricsReply),
      (error: unknown) => worker.send({ type: METRICS_REPLY, id: message.id, error: String(error) } satisfies MetricsReply),
    );
  });

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      logger.info({ worker: worker.id, pid: worker.process.pid, code, signal }, "worker stopped");
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that keeps dying at start-up (a bad deployment) is not respawned in a tight loop.
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = Math.min(MAX_RESPAWN_DELAY_MS, quickDeaths === 0 ? 0 : 250 * 2 ** (quickDeaths - 1));
    logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, respawnInMs: delay }, "worker died; starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, "shutting down");
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    if (workers.length === 0) process.exit(0);
    // Each worker drains as a single process does on SIGTERM (see main.ts).
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      logger.error("workers did not stop in time; killing them");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }, options.shutdownTimeoutMs).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  for (let i = 0; i < options.workers; i++) fork();
}

let nextRequest = 0;
const pending = new Map<number, { resolve: (body: string) => void; reject: (error: Error) => void }>();

/**
 * In a worker: the metrics of every worker, gathered by the primary. The worker's own registry
 * is handed to prom-client, whose cluster support answers the primary's request for it.
 */
export function clusterWorkerMetrics(): { onRegistry: (registry: Registry) => void; render: () => Promise<string> } {
  // Making one installs prom-client's listener that answers the primary with this worker's registries.
  new AggregatorRegistry();
  process.on("message", (message: unknown) => {
    if (!isMessage<MetricsReply>(message, METRICS_REPLY)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.body !== undefined) waiter?.resolve(message.body);
    else waiter?.reject(new Error(`the primary could not gather the workers' metrics: ${message.error ?? "unknown"}`));
  });
  return {
    onRegistry: (registry) => AggregatorRegistry.setRegistries([registry]),
    render: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextRequest++;
        pending.set(id, { resolve, reject });
        process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
      }),
  };
}
