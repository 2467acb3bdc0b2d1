import "reflect-metadata";
import cluster from "node:cluster";
import closeWithGrace from "close-with-grace";
import { runPrimary } from "./adapters/system/cluster.js";
import { buildApp } from "./app.js";
import { openStore } from "./adapters/persistence/open-store.js";
import { StoreUnavailable, type Store } from "./application/ports/store.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import type { Logger } from "pino";

/**
 * Brings the schema up to date, waiting for a database that cannot be reached yet (it may still
 * be starting, as in docker compose) instead of exiting: retries back off to every 10 s.
 */
async function migrateWhenReachable(store: Store, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.migrate();
      return;
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      const waitMs = Math.min(1000 * attempt, 10_000);
      logger.warn({ attempt, reason: error.message, retryInMs: waitMs }, "database unreachable at start-up; retrying");
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`time-tracker: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** How long the service keeps taking in connections after SIGTERM/SIGINT before it closes. */
const SHUTDOWN_DRAIN_MS = 250;

/** How long workers get to drain after SIGTERM before the primary kills them. */
const WORKER_SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * WEB_CONCURRENCY > 1: this process migrates the schema once, then forks the workers, each of
 * which runs `serve` (its own migrate finds nothing to do).
 */
async function startPrimary(config: Config, logger: Logger): Promise<void> {
  const store = await openStore(config, logger);
  try {
    await migrateWhenReachable(store, logger);
  } finally {
    await store.close();
  }
  logger.info({ workers: config.webConcurrency }, `starting ${config.webConcurrency} worker processes`);
  runPrimary({ workers: config.webConcurrency, logger, shutdownTimeoutMs: WORKER_SHUTDOWN_TIMEOUT_MS });
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  if (config.webConcurrency > 1 && cluster.isPrimary) return startPrimary(config, logger);
  await serve(config, cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger);
}

/** One process serving the port: alone, or as one worker of several. */
async function serve(config: Config, logger: Logger): Promise<void> {
  const store = await openStore(config, logger);
  logger.info({ storage: config.storage, where: store.description }, `storage: ${store.description}`);
  if (config.storage === "memory") {
    logger.warn("STORAGE=memory: nothing is written to disk; every user and entry is lost when the process stops");
  }
  await migrateWhenReachable(store, logger);

  const app = await buildApp({ config, store, logger });
  // A worker's signals come from the primary; a Ctrl-C in a terminal reaches both, which must not
  // turn the worker's drain into an abrupt exit (close-with-grace's answer to a second signal).
  const onSecondSignal = cluster.isWorker ? () => logger.info("already draining") : undefined;
  closeWithGrace({ delay: 10_000, logger, ...(onSecondSignal ? { onSecondSignal } : {}) }, async ({ signal, err }) => {
    if (err) {
      logger.error({ err }, "shutting down after an error");
    } else {
      logger.info({ signal }, "shutting down");
      // Requests that reached this machine just before the signal may still sit in the listening
      // socket's queue or unread in a new connection; closing at once would reset them. Give the
      // event loop a moment to take them in: they are then finished like any request in flight.
      await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DRAIN_MS));
    }
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  process.stderr.write(`time-tracker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
