import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolUsage } from "../../application/ports/store.js";
import { problemOf, sendProblem } from "./problem.js";

export interface MetricsOptions {
  /** The bearer token /metrics wants; null: no /metrics (404). */
  readonly token: string | null;
  /** The store's connection usage now. */
  readonly poolUsage: () => PoolUsage;
  /** Webhook deliveries waiting to be made (the outbox's depth); left out: no such gauge. */
  readonly webhookQueueDepth?: () => Promise<number>;
  /**
   * The text to answer with. Left out: this process's registry. Under WEB_CONCURRENCY the worker
   * asks the primary, which gathers every worker's registry (prom-client's AggregatorRegistry).
   */
  readonly render?: (own: Registry) => Promise<string>;
  /** Called with the registry once its metrics exist (a cluster worker hands it to prom-client). */
  readonly onRegistry?: (registry: Registry) => void;
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Compares in constant time (the digests have one length whatever the input). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1] as string), digest(token));
}

/**
 * Prometheus metrics: requests by route template and status, their durations, the store's
 * connections, the webhook outbox's depth, and Node's own (event-loop lag among them). One registry per app, so apps built
 * side by side in tests do not share counters.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests answered", labelNames, registers: [registry] });
  const durations = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from a request's arrival to its answer",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const usage = (help: string, read: (pool: PoolUsage) => number, name: string) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      aggregator: "sum",
      collect() {
        this.set(read(options.poolUsage()));
      },
    });
  usage("Database connections open", (pool) => pool.open, "db_pool_connections_open");
  usage("Database connections running a statement or a transaction", (pool) => pool.inUse, "db_pool_connections_in_use");
  usage("Callers waiting for a database connection", (pool) => pool.waiting, "db_pool_waiting");
  usage("Most database connections the pools open", (pool) => pool.limit, "db_pool_connections_limit");
  const queueDepth = options.webhookQueueDepth;
  if (queueDepth) {
    new Gauge({
      name: "webhook_deliveries_pending",
      help: "Webhook deliveries not yet made (due now or waiting for a retry)",
      registers: [registry],
      // Every worker reads the one outbox in the database: the same number, not a share of it.
      aggregator: "max",
      async collect() {
        this.set(await queueDepth());
      },
    });
  }
  options.onRegistry?.(registry);

  app.addHook("onResponse", async (request, reply) => {
    // The route's template (/entry/:id), never the raw URL: one series per route, not per id.
    // Requests no route matched share one label, so probing URLs cannot grow the series.
    const labels = { method: request.method, route: request.routeOptions.url ?? "(unmatched)", status_code: reply.statusCode };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    const token = options.token;
    if (token === null) return sendProblem(reply, problemOf("NOT_FOUND", "No route for GET /metrics"));
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header("www-authenticate", 'Bearer realm="metrics"');
      return sendProblem(reply, problemOf("UNAUTHENTICATED", "/metrics needs Authorization: Bearer <METRICS_TOKEN>"));
    }
    const body = options.render ? await options.render(registry) : await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}
