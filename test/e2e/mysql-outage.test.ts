import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { createTestDatabase, mysqlAvailable, silentLogger, type TestDatabase } from "../support/mysql-database.js";
import { testApp, type TestApp } from "../support/http.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { freePort, startService, type ServiceProcess } from "../support/service-process.js";

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!mysqlAvailable)("a database outage (MySQL behind a TCP proxy that is cut)", () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase("outage");
    const direct = db.config();
    await (await db.openStore()).close();
    proxy = new TcpProxy(direct.host, direct.port);
    const port = await proxy.start();
    const store = await MySqlStore.open({ ...direct, port, poolSize: 4 }, silentLogger);
    t = await testApp({ store });
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it("answers 503 while it lasts, loses no acknowledged write, and heals by itself", async () => {
    const { token } = await t.signUp();
    expect((await t.request("POST", "/category", { token, body: { name: "Work" } })).statusCode).toBe(201);

    // A steady writer: one entry a minute apart, recording every acknowledged id.
    const acknowledged: number[] = [];
    const refused: number[] = [];
    let slot = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const minute = slot++;
        const start = new Date(Date.UTC(2026, 0, 1) + minute * 60_000);
        const res = await t.request("POST", "/entry", {
          token,
          body: { category: "Work", start_time: start.toISOString(), end_time: new Date(start.getTime() + 30_000).toISOString() },
        });
        if (res.statusCode === 201) acknowledged.push(res.json<{ entry: { id: number } }>().entry.id);
        else refused.push(res.statusCode);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await until("some writes", 5_000, async () => (acknowledged.length >= 5 ? true : undefined));

    await proxy.cut();
    const down = await until("/health 503", 2_500, async () => {
      const res = await t.request("GET", "/health");
      return res.statusCode === 503 ? res : undefined;
    });
    expect(down.ms).toBeLessThan(2_000);
    expect(down.value.json()).toEqual({ status: "unhealthy", checks: { database: "down" } });

    const started = Date.now();
    const during = await t.request("GET", "/category", { token });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(during.statusCode).toBe(503);
    expect(during.headers["content-type"]).toContain("application/problem+json");
    expect(during.json()).toMatchObject({ code: "UNAVAILABLE", status: 503 });
    expect(during.body).not.toMatch(/ECONNREFUSED|PROTOCOL|mysql|at .*\.ts/i);

    // Keep the outage until the writer has felt it at least once.
    await until("a write refused during the outage", 10_000, async () => (refused.length > 0 ? true : undefined));
    await proxy.restore();
    await until("/health 200 again", 15_000, async () => ((await t.request("GET", "/health")).statusCode === 200 ? true : undefined));
    const before = acknowledged.length;
    await until("writes after the outage", 10_000, async () => (acknowledged.length >= before + 5 ? true : undefined));
    writing = false;
    await writer;

    // The writer felt the outage, and only as 503s.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((status) => status === 503)).toBe(true);
    const connection = await db.connect();
    try {
      const [rows] = await connection.query("SELECT id FROM time_entries");
      const stored = new Set((rows as Array<{ id: number }>).map((row) => row.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // A write whose commit reached the server but whose reply was lost is stored yet answered
      // 503: the client retries it. So stored ⊇ acknowledged, never the reverse.
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await connection.end();
    }
  });

  it("starts while the database is unreachable, waits for it, and serves once it answers", async () => {
    const direct = db.config();
    const port = await freePort();
    const late = new TcpProxy(direct.host, direct.port);
    let service: ServiceProcess | undefined;
    try {
      const starting = startService(
        { DB_HOST: "127.0.0.1", DB_PORT: String(port), DB_USER: direct.user, DB_PASSWORD: direct.password, DB_NAME: direct.database, LOG_LEVEL: "info" },
        40_000,
      );
      // Until the service has tried (twice), the database port drops every connection: it must
      // wait, not exit. Then the real database answers on that port.
      let attempts = 0;
      const refusing = createServer((socket) => {
        attempts++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => refusing.listen(port, "127.0.0.1", () => resolve()));
      await until("two connection attempts", 30_000, async () => (attempts >= 2 ? true : undefined));
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
      await late.start(port);
      service = await starting;
      const health = await fetch(`${service.url}/health`);
      expect(health.status).toBe(200);
      expect(service.output()).toContain("database unreachable at start-up; retrying");
      expect(service.output()).not.toContain(direct.password || "no-password-to-leak");
    } finally {
      await service?.stop();
      await late.stop();
    }
  }, 60_000);
});

