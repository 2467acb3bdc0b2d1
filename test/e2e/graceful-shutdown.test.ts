import { afterAll, describe, expect, it } from "vitest";
import { startService, type ServiceProcess } from "../support/service-process.js";

describe("graceful shutdown of a real process", () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  it("on SIGTERM answers every request sent before it, refuses new connections and exits 0 within 10 s", async () => {
    service = await startService({ STORAGE: "memory", RATE_LIMIT_REGISTER_PER_HOUR: "0" });
    const { url } = service;
    // Registrations hash with argon2id, four at a time: the last are still running when the
    // service stops taking connections, a moment after the signal.
    const inFlight = Array.from({ length: 32 }, (_, i) =>
      fetch(`${url}/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: `shutdown${i}`, password: "correct horse battery" }),
      }).then((res) => res.status),
    );
    // At once: some of these requests are still being connected or read when the signal lands.
    const stoppedAt = Date.now();
    service.child.kill("SIGTERM");

    expect(await Promise.all(inFlight)).toEqual(Array(32).fill(201));
    const code = await service.exited;
    expect(code, service.output()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(service.output()).toContain('"signal":"SIGTERM"');
  });
});
