import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callService, startService, type ServiceProcess } from "../support/service-process.js";
import { webhookReceiver } from "../support/webhook-receiver.js";

const ROOT = join(import.meta.dirname, "..", "..");
// Under node_modules, so the built modules find the packages as dist/ does.
const CACHE = join(ROOT, "node_modules", ".cache");

/**
 * `npm start` runs the compiled service (dist/), not the sources the other tests run with tsx:
 * what only the build has (the webhook sending thread's own module, loaded by its path) is
 * proved here, on a build of this checkout made into a folder of its own.
 */
describe("the built service", () => {
  let out = "";
  let service: ServiceProcess | null = null;
  beforeAll(() => {
    mkdirSync(CACHE, { recursive: true });
    out = mkdtempSync(join(CACHE, "built-service-"));
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", out], { cwd: ROOT, stdio: "inherit" });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it("starts and delivers a signed webhook from its sending thread", async () => {
    const receiver = await webhookReceiver();
    try {
      service = await startService(
        { STORAGE: "memory", RATE_LIMIT_REGISTER_PER_HOUR: "0", LOG_LEVEL: "warn", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" },
        20_000,
        join(out, "main.js"),
      );
      const base = service.url;
      expect((await callService(base, "POST", "/register", { username: "built", password: "password-123" })).status).toBe(201);
      const { token } = (await callService(base, "POST", "/login", { username: "built", password: "password-123" })).json;
      expect((await callService(base, "POST", "/category", { name: "Work" }, token)).status).toBeLessThan(300);
      expect((await callService(base, "POST", "/webhooks", { url: receiver.url, events: ["entry.created"] }, token)).status).toBe(201);
      const entry = await callService(
        base,
        "POST",
        "/entry",
        { category: "Work", start_time: "2026-03-02T09:00:00Z", end_time: "2026-03-02T10:00:00Z" },
        token,
      );
      expect(entry.status).toBe(201);
      await receiver.waitFor((received) => received.length === 1);
      const [got] = receiver.received;
      expect(got?.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.parse(got?.body ?? "{}")).toMatchObject({ type: "entry.created", data: { entry: { id: entry.json.entry.id } } });
      expect(await service.stop()).toBe(0);
      service = null;
    } finally {
      await receiver.close();
    }
  });
});
