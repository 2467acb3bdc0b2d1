import cluster from "node:cluster";
import type { FastifyBaseLogger } from "fastify";
import { clusterWorkerMetrics } from "./adapters/system/cluster.js";
import { createHttpApp, type HttpApp } from "./adapters/http/http-app.js";
import type { Store } from "./application/ports/store.js";
import { loadConfig, type Config } from "./config.js";
import { PurgeExpiredSessions } from "./application/purge-expired-sessions.js";
import { PurgeExpiredAttempts } from "./application/attempt-limits.js";
import { buildContainer, resolveUseCases, type Overrides } from "./container.js";
import { PurgeSyncTombstones } from "./application/sync.js";
import { PurgeWebhookDeliveries } from "./application/webhooks.js";
import { ThreadedWebhookSender } from "./adapters/webhooks/threaded-webhook-sender.js";
import { WebhookWorker } from "./adapters/webhooks/webhook-worker.js";

/** How often expired sessions are deleted while the service runs. */
const SESSION_PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Runs a purge every SESSION_PURGE_INTERVAL_MS in the background; a failure is logged and tried next time. */
function housekeeping(app: HttpApp, what: string, purge: { execute(): Promise<number> }): NodeJS.Timeout {
  const timer = setInterval(() => {
    purge.execute().then(
      (removed) => app.log.debug({ removed }, `${what} purged`),
      (error: unknown) => app.log.warn({ err: error }, `could not purge ${what}`),
    );
  }, SESSION_PURGE_INTERVAL_MS);
  timer.unref();
  return timer;
}

export interface BuildAppOptions {
  readonly store: Store;
  /** Defaults to the configuration of an empty environment. */
  readonly config?: Config;
  readonly logger?: FastifyBaseLogger | false;
  readonly overrides?: Overrides;
}

/** A whole app on the given store; closing the app closes the store. */
export async function buildApp(options: BuildAppOptions): Promise<HttpApp> {
  const config = options.config ?? loadConfig({ STORAGE: "memory" });
  const container = buildContainer(config, options.store, options.overrides);
  const app = await createHttpApp({
    useCases: resolveUseCases(container),
    logger: options.logger ?? false,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    oidcClientSecret: config.oidc?.clientSecret ?? null,
    metrics: {
      token: config.metricsToken,
      poolUsage: () => options.store.poolUsage(),
      webhookQueueDepth: () => options.store.webhooks.pendingCount(),
      // A cluster worker answers with every worker's metrics, gathered by the primary.
      ...(cluster.isWorker ? clusterWorkerMetrics() : {}),
    },
  });
  // Expired sessions are refused at once; deleting them is housekeeping, done in the background.
  const purgeTimer = housekeeping(app, "expired sessions", container.resolve(PurgeExpiredSessions));
  // Deletions older than the sync feed keeps them: housekeeping too, in every process.
  const tombstoneTimer = housekeeping(app, "old sync deletions", container.resolve(PurgeSyncTombstones));
  // The webhook outbox's worker: every process delivers, each attempt claimed by one of them.
  const worker = container.resolve(WebhookWorker);
  worker.useLogger(app.log);
  worker.start();
  // Every worker process (and instance) runs these: each purge is one idempotent DELETE of rows
  // past their expiry, so two running at once delete each row once and harm nothing.
  const attemptsTimer = housekeeping(app, "expired attempt counters", container.resolve(PurgeExpiredAttempts));
  const deliveriesTimer = housekeeping(app, "old webhook deliveries", container.resolve(PurgeWebhookDeliveries));
  app.addHook("onClose", async () => {
    clearInterval(purgeTimer);
    clearInterval(tombstoneTimer);
    clearInterval(attemptsTimer);
    clearInterval(deliveriesTimer);
    await worker.stop();
    await container.resolve(ThreadedWebhookSender).close();
    await options.store.close();
  });
  return app;
}
