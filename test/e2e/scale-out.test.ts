import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { startService, type ServiceProcess } from "../support/service-process.js";
import { tempDir } from "../support/temp-dir.js";
import { parsePrometheusText } from "../support/prometheus.js";

const PASSWORD = "correct horse battery";
const LIMITS = { RATE_LIMIT_LOGIN_FAILURES: "3", RATE_LIMIT_REGISTER_PER_HOUR: "3", LOG_LEVEL: "warn" };

interface Answer {
  readonly status: number;
  readonly retryAfter: number;
  readonly body: string;
}

/** One request on a connection of its own (agent: false), so a cluster hands each to a worker in turn. */
function send(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${base}${path}`, {
      method,
      agent: false,
      headers: {
        ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      timeout: 20_000,
    });
    req.once("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers["retry-after"] ?? 0), body: text }));
    });
    req.once("error", reject);
    req.end(payload);
  });
}

/**
 * The limits of part 2 hold across processes: `bases` are services on one database (separate
 * processes, or one port whose connections go to different workers). Failed logins and
 * registrations made through any of them count against one limit.
 */
function limitsHoldAcross(bases: () => string[]): void {
  it("failed logins counted by one process lock the username in the other, with a right retry-after", async () => {
    const [a, b] = bases() as [string, string];
    const username = `limited${Date.now()}`;
    expect((await send(a, "POST", "/register", { username, password: PASSWORD })).status).toBe(201);
    const failures = [a, b, a].map((base) => send(base, "POST", "/login", { username, password: "wrong password" }));
    expect((await Promise.all(failures)).map((answer) => answer.status)).toEqual([401, 401, 401]);
    for (const base of [b, a]) {
      const refused = await send(base, "POST", "/login", { username, password: PASSWORD });
      expect(refused.status, refused.body).toBe(429);
      expect(refused.retryAfter).toBeGreaterThan(15 * 60 - 60);
      expect(refused.retryAfter).toBeLessThanOrEqual(15 * 60);
    }
  });

  it("registrations from one address count once across both (the earlier test made one of the 3)", async () => {
    const [a, b] = bases() as [string, string];
    const statuses: number[] = [];
    for (const base of [b, a, b, a]) {
      const answer = await send(base, "POST", "/register", { username: `reg${statuses.length}x${Date.now()}`, password: PASSWORD });
      statuses.push(answer.status);
      if (answer.status === 429) expect(answer.retryAfter).toBeGreaterThan(3500);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
  });
}

describe("two service processes on one SQLite file", () => {
  const dir = tempDir();
  let services: ServiceProcess[] = [];
  beforeAll(async () => {
    const env = { SQLITE_PATH: join(dir.path, "shared.sqlite"), ...LIMITS };
    services = await Promise.all([startService(env, 40_000), startService(env, 40_000)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    dir.remove();
  });
  limitsHoldAcross(() => services.map((service) => service.url));
});

describe.skipIf(!mysqlAvailable)("two service processes on one MySQL database", () => {
  let db: TestDatabase;
  let services: ServiceProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase("limits");
    const c = db.config();
    const env = { DB_HOST: c.host, DB_PORT: String(c.port), DB_USER: c.user, DB_PASSWORD: c.password, DB_NAME: c.database, ...LIMITS };
    services = await Promise.all([startService(env, 40_000), startService(env, 40_000)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await db?.drop();
  });
  limitsHoldAcross(() => services.map((service) => service.url));
});

describe("WEB_CONCURRENCY=2: two workers on one port", () => {
  const dir = tempDir();
  const TOKEN = "workers-metrics-token";
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService(
      { SQLITE_PATH: join(dir.path, "workers.sqlite"), WEB_CONCURRENCY: "2", METRICS_TOKEN: TOKEN, ...LIMITS, LOG_LEVEL: "info" },
      40_000,
    );
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    dir.remove();
  });

  /** The pids of the workers the primary has reported in `event` ("started", "listening"), in order. */
  const workersReported = (event: string): number[] =>
    service
      .output()
      .split("\n")
      .filter((line) => line.includes(`"worker ${event}"`))
      .map((line) => (JSON.parse(line) as { pid: number }).pid);
  const startedWorkers = () => workersReported("started");

  const waitFor = async (condition: () => boolean, what: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${service.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  limitsHoldAcross(() => [service.url, service.url]);

  it("answers from both workers, and /metrics counts the requests of all of them", async () => {
    // A worker gets connections only once it listens; the first can serve alone before that.
    await waitFor(() => workersReported("listening").length >= 2, "two listening workers");
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(service.url, "GET", "/category")));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(401));
    // Every worker's log line names it; both served some of the requests.
    const servedBy = new Set(
      service
        .output()
        .split("\n")
        .filter((line) => line.includes('"url":"/category"'))
        .map((line) => (JSON.parse(line) as { worker: number }).worker),
    );
    expect(servedBy.size, service.output()).toBe(2);
    const scrape = await send(service.url, "GET", "/metrics", undefined, TOKEN);
    expect(scrape.status).toBe(200);
    const { samples } = parsePrometheusText(scrape.body);
    const counted = samples.find(
      (s) => s.name === "http_requests_total" && s.labels.route === "/category" && s.labels.status_code === "401",
    );
    expect(counted?.value).toBe(12);
    expect(samples.find((s) => s.name === "db_pool_connections_open")?.value).toBe(2);
  });

  it("replaces a worker that dies, and keeps answering meanwhile", async () => {
    await waitFor(() => startedWorkers().length >= 2, "two workers");
    const [victim] = startedWorkers() as [number];
    process.kill(victim, "SIGKILL");
    await waitFor(() => startedWorkers().length >= 3, "a replacement worker");
    expect(service.output()).toContain("worker died; starting another");
    expect(startedWorkers()).not.toContain(undefined);
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(service.url, "GET", "/health")));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(service.child.exitCode).toBeNull();
  });
});
