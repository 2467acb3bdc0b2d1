import { request as httpRequest, type ClientRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startService, type ServiceProcess } from "../support/service-process.js";
import { tempDir } from "../support/temp-dir.js";

/** The request ids of the service's log lines with this message (pino JSON, one object a line). */
function loggedRequestIds(output: string, message: string): Set<string> {
  const ids = new Set<string>();
  for (const line of output.split("\n")) {
    if (!line.includes(message)) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; reqId?: unknown };
      if (entry.msg === message && typeof entry.reqId === "string") ids.add(entry.reqId);
    } catch {
      // not a whole JSON line (yet)
    }
  }
  return ids;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether a new TCP connection to the port is refused (the service no longer listens). */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/**
 * A registration whose head and first half of the body are sent now and the rest only when
 * `finish` is called: the service has it in flight for as long as the test wants.
 */
function halfSentRegistration(url: string, id: string, username: string): { finish(): void; status: Promise<number> } {
  const body = Buffer.from(JSON.stringify({ username, password: "correct horse battery" }));
  const half = Math.floor(body.length / 2);
  let req!: ClientRequest;
  const status = new Promise<number>((resolve, reject) => {
    req = httpRequest(`${url}/register`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": body.length, "x-request-id": id },
    });
    req.once("response", (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
  });
  // A failure is reported where the test awaits `status`, not as an unhandled rejection before.
  status.catch(() => undefined);
  req.write(body.subarray(0, half));
  return { finish: () => req.end(body.subarray(half)), status };
}

const workersDir = tempDir();
afterAll(() => workersDir.remove());

// One process alone, and WEB_CONCURRENCY=2 (the primary tells both workers to drain; workers
// share one database, so a file rather than memory).
describe.each([
  { setup: "one process", env: { STORAGE: "memory" } as Record<string, string> },
  { setup: "two workers", env: { SQLITE_PATH: join(workersDir.path, "drain.sqlite"), WEB_CONCURRENCY: "2" } as Record<string, string> },
])("graceful shutdown of a real service: $setup", ({ env }) => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  it("on SIGTERM answers every request it has received, refuses new connections and exits 0 within 10 s", async () => {
    // LOG_LEVEL=info: Fastify logs "incoming request" with the request's id as soon as it has
    // read a request's head. That line is how this test knows the service has received a request.
    service = await startService({ ...env, RATE_LIMIT_REGISTER_PER_HOUR: "0", LOG_LEVEL: "info" }, 40_000);
    const { url } = service;
    const port = Number(new URL(url).port);

    // Registrations hash with argon2id, four at a time, so many are in flight at once.
    const whole = Array.from({ length: 32 }, (_, i) => `shutdown-${i}`);
    const inFlight = whole.map((id, i) =>
      fetch(`${url}/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": id },
        body: JSON.stringify({ username: `shutdown${i}`, password: "correct horse battery" }),
      }).then((res) => res.status),
    );
    // A failure is reported where the test awaits them, not as an unhandled rejection before.
    for (const answer of inFlight) answer.catch(() => undefined);
    // These stay in flight until the service has stopped taking connections, whatever the timing.
    const half = Array.from({ length: 4 }, (_, i) => `shutdown-half-${i}`);
    const halfSent = half.map((id, i) => halfSentRegistration(url, id, `shutdownhalf${i}`));

    // The signal goes only once the service has received every one of them.
    const ids = [...whole, ...half];
    await waitFor(
      () => {
        const received = loggedRequestIds(service!.output(), "incoming request");
        return ids.every((id) => received.has(id));
      },
      10_000,
      () => `the service to receive all ${ids.length} requests:\n${service!.output()}`,
    );
    const stoppedAt = Date.now();
    service.child.kill("SIGTERM");

    // New connections are refused while the received requests are still being answered.
    await waitFor(() => refusesConnections(port), 5_000, () => `new connections to be refused:\n${service!.output()}`);
    expect(service.child.exitCode, "still running with requests in flight").toBeNull();
    for (const request of halfSent) request.finish();

    expect(await Promise.all(inFlight), service.output()).toEqual(Array(whole.length).fill(201));
    expect(await Promise.all(halfSent.map((request) => request.status)), service.output()).toEqual(
      Array(half.length).fill(201),
    );
    const code = await service.exited;
    expect(code, service.output()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(service.output()).toContain('"signal":"SIGTERM"');
  });
});
