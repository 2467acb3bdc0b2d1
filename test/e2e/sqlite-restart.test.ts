import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callService, startService, type ServiceProcess } from "../support/service-process.js";
import { tempDir } from "../support/temp-dir.js";

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(service: ServiceProcess, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<Reply> {
  const { status, json } = await callService(service.url, method, path, options.body, options.token, 10_000);
  return { status, body: json };
}

/** RFC 3339 in UTC, whole seconds. */
const rfc3339 = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe("the embedded SQLite store across a restart of the real service", () => {
  const dir = tempDir("time-tracker-restart-");
  // A folder that does not exist yet: the service creates it.
  const file = join(dir.path, "data", "time-tracker.sqlite");
  // No DB_HOST and no STORAGE: the default store, in this file.
  const env = { SQLITE_PATH: file, RATE_LIMIT_REGISTER_PER_HOUR: "0", LOG_LEVEL: "info" };
  const services: ServiceProcess[] = [];

  afterAll(async () => {
    for (const service of services) await service.stop("SIGKILL", 5_000);
    dir.remove();
  });

  it("keeps users, sessions, categories and entries written over HTTP when the process is stopped and another started", async () => {
    const username = "restart.ann";
    const password = "correct horse battery";

    const first = await startService(env);
    services.push(first);
    expect(first.output()).toContain(`"storage":"sqlite"`);
    expect(first.output()).toContain(`sqlite file ${file}`);
    expect((await call(first, "POST", "/register", { body: { username, password } })).status).toBe(201);
    const login = await call(first, "POST", "/login", { body: { username, password } });
    expect(login.status, first.output()).toBe(200);
    const token = login.body.token as string;

    const created = await call(first, "POST", "/category", { token, body: { name: "Ärger Über Café" } });
    expect(created.status).toBe(201);
    const hourAgo = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const bodies = [
      { category: "ärger über café", start_time: "2026-02-10 09:00:00", end_time: "2026-02-10 10:30:00", note: "first ⏱️ 'quoted'" },
      { category: "ARGER UBER CAFE", start_time: "2026-02-10T12:00:00+01:00", end_time: "2026-02-10T12:45:30+01:00" },
      { category: "Ärger Über Café", start_time: rfc3339(hourAgo) },
    ];
    for (const body of bodies) {
      const logged = await call(first, "POST", "/entry", { token, body });
      expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    }
    const before = await call(first, "GET", `/entries/${username}`, { token });
    expect(before.status).toBe(200);
    const entries = before.body.entries as Record<string, unknown>[];
    expect(entries.map((e) => [e.start_time, e.end_time])).toEqual([
      ["2026-02-10T09:00:00Z", "2026-02-10T10:30:00Z"],
      ["2026-02-10T11:00:00Z", "2026-02-10T11:45:30Z"],
      [rfc3339(hourAgo), null],
    ]);
    const categoriesBefore = (await call(first, "GET", "/category", { token })).body;

    expect(await first.stop("SIGTERM"), first.output()).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect((statSync(file).mode & 0o777).toString(8)).toBe("600");

    const second = await startService(env);
    services.push(second);
    // The session outlives the process: tokens live in the database.
    const withOldToken = await call(second, "GET", `/entries/${username}`, { token });
    expect(withOldToken.status, second.output()).toBe(200);
    expect(withOldToken.body.entries).toEqual(entries);

    const again = await call(second, "POST", "/login", { body: { username: "RESTART.ANN", password } });
    expect(again.status).toBe(200);
    expect(again.body.user_id).toBe(login.body.user_id);
    const fresh = again.body.token as string;
    expect((await call(second, "GET", `/entries/${username}`, { token: fresh })).body.entries).toEqual(entries);
    expect((await call(second, "GET", "/category", { token: fresh })).body).toEqual(categoriesBefore);
    const repeated = await call(second, "POST", "/category", { token: fresh, body: { name: "arger uber cafe" } });
    expect(repeated.status).toBe(200);
    expect((await call(second, "POST", "/register", { body: { username: "Restart.Ann", password } })).status).toBe(409);
    // The running timer is still the one running.
    const timer = await call(second, "POST", "/entry", { token: fresh, body: { category: "Ärger Über Café", start_time: rfc3339(hourAgo + 60_000) } });
    expect(timer.status).toBe(409);

    expect(await second.stop("SIGTERM"), second.output()).toBe(0);
  }, 120_000);
});
