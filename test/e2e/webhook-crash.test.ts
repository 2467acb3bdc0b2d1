import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callService, startService, type ServiceProcess } from "../support/service-process.js";
import { tempDir } from "../support/temp-dir.js";
import { webhookReceiver } from "../support/webhook-receiver.js";

const dir = tempDir("time-tracker-webhook-crash-");
afterAll(() => dir.remove());

/**
 * "The event is recorded in the same transaction as the change, so no acknowledged change loses
 * its event, also across a crash or restart": the real service, SIGKILLed during a burst of
 * writes, restarted on the same file; every entry it acknowledged reaches the receiver.
 */
describe("webhook events across a crash", () => {
  let service: ServiceProcess | null = null;
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  it("delivers the entry.created of every acknowledged write after SIGKILL and a restart", async () => {
    const receiver = await webhookReceiver();
    const env = {
      SQLITE_PATH: join(dir.path, "crash.sqlite"),
      RATE_LIMIT_REGISTER_PER_HOUR: "0",
      LOG_LEVEL: "warn",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      WEBHOOK_RETRY_BASE_SECONDS: "0.2",
      WEBHOOK_LEASE_SECONDS: "1",
    };
    try {
      service = await startService(env);
      const base = service.url;
      expect((await callService(base, "POST", "/register", { username: "crash", password: "password-123" })).status).toBe(201);
      const { token } = (await callService(base, "POST", "/login", { username: "crash", password: "password-123" })).json;
      expect((await callService(base, "POST", "/category", { name: "Work" }, token)).status).toBeLessThan(300);
      const hook = await callService(base, "POST", "/webhooks", { url: receiver.url, events: ["entry.created"] }, token);
      expect(hook.status).toBe(201);

      const acknowledged = new Set<number>();
      const write = async (i: number) => {
        const start = Date.UTC(2025, 0, 1) + i * 3_600_000;
        try {
          const res = await callService(
            base,
            "POST",
            "/entry",
            { category: "Work", start_time: new Date(start).toISOString(), end_time: new Date(start + 60_000).toISOString() },
            token,
            5_000,
          );
          if (res.status === 201) acknowledged.add(res.json.entry.id as number);
        } catch {
          // the process died under this request: not acknowledged
        }
      };
      const burst = Array.from({ length: 200 }, (_, i) => write(i));
      // Kill it mid-burst, once some writes were acknowledged.
      while (acknowledged.size < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      service.child.kill("SIGKILL");
      await Promise.all(burst);
      await service.exited;
      expect(acknowledged.size).toBeGreaterThanOrEqual(20);
      expect(acknowledged.size).toBeLessThan(200);

      service = await startService(env);
      const delivered = () =>
        new Set(receiver.received.map((r) => (JSON.parse(r.body) as { data: { entry: { id: number } } }).data.entry.id));
      await receiver.waitFor(() => [...acknowledged].every((id) => delivered().has(id)), 15_000);
      expect([...acknowledged].filter((id) => !delivered().has(id))).toEqual([]);
    } finally {
      await service?.stop();
      service = null;
      await receiver.close();
    }
  });
});
