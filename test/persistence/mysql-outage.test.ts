import { userScope } from "../../src/application/ports/transactor.js";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import type { MySqlConfig } from "../../src/config.js";
import { createTestDatabase, mysqlAvailable, mysqlUrl, silentLogger, type TestDatabase } from "../support/mysql-database.js";
import { at, uniqueName } from "../support/names.js";

/** A port on which nothing listens (the kernel refuses connections at once). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts TCP connections and never says a word: a hung or black-holed database. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards to the real server, and can cut every link and refuse new ones, then come back. */
class FlakyProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.links.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => this.links.delete(socket));
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Every open link is cut and new connections are refused. */
  async down(): Promise<void> {
    for (const socket of this.links) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function configAt(port: number): MySqlConfig {
  return { host: "127.0.0.1", port, user: "nobody", password: "secret-not-logged", database: "nowhere", poolSize: 2 };
}

async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const started = Date.now();
  const [result] = await Promise.allSettled([work]);
  return { ms: Date.now() - started, result: result as PromiseSettledResult<T> };
}

function expectUnavailable(result: PromiseSettledResult<unknown>): void {
  expect(result.status).toBe("rejected");
  if (result.status === "rejected") expect(result.reason).toBeInstanceOf(StoreUnavailable);
}

describe("MySQL store when the database cannot be reached", () => {
  it("answers at once when nothing listens: ping false, every call StoreUnavailable", async () => {
    const port = await closedPort();
    const store = await MySqlStore.open(configAt(port), silentLogger);
    try {
      const ping = await timed(store.ping());
      expect(ping.result).toEqual({ status: "fulfilled", value: false });
      expect(ping.ms).toBeLessThan(2_000);

      const calls: Array<() => Promise<unknown>> = [
        () => store.users.findById(1),
        () => store.categories.list(),
        () => store.entries.listByUser(1, { from: null, to: null, categoryId: null, after: null, limit: 10 }),
        () => store.sessions.findUser("0".repeat(64), new Date()),
        () => store.transactor.run(userScope(1), async () => "never"),
        () => store.migrate(),
      ];
      for (const call of calls) {
        const outcome = await timed(call());
        expectUnavailable(outcome.result);
        expect(outcome.ms).toBeLessThan(3_000);
      }
      // The password never appears in what the store says about itself or in its errors.
      expect(store.description).toBe(`mysql://nobody@127.0.0.1:${port}/nowhere`);
      expect(store.description).not.toContain("secret-not-logged");
    } finally {
      await store.close();
    }
  });

  it("does not hang on a server that accepts and never answers: ping false within 2 s, calls fail within seconds", async () => {
    const silent = await silentServer();
    const store = await MySqlStore.open(configAt(silent.port), silentLogger);
    try {
      const ping = await timed(store.ping());
      expect(ping.result).toEqual({ status: "fulfilled", value: false });
      expect(ping.ms).toBeLessThan(2_000);

      // More callers than the pool has connections: the queued ones are not left to time out one by one.
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => timed(store.users.findByUsername("ann"))));
      for (const outcome of outcomes) {
        expectUnavailable(outcome.result);
        expect(outcome.ms).toBeLessThan(6_000);
      }
      const unavailable = outcomes[0]?.result;
      if (unavailable?.status === "rejected") expect(String(unavailable.reason.message)).not.toContain("secret-not-logged");
    } finally {
      await store.close();
      await silent.close();
    }
  });
});

describe.skipIf(!mysqlAvailable)("MySQL store through an outage and back", () => {
  let database: TestDatabase;
  let proxy: FlakyProxy;
  let store: MySqlStore;

  beforeAll(async () => {
    database = await createTestDatabase("outage");
    const target = new URL(mysqlUrl ?? "mysql://127.0.0.1");
    proxy = new FlakyProxy({ host: target.hostname, port: Number(target.port || 3306) });
    await proxy.up();
    store = await MySqlStore.open({ ...database.config(2), host: "127.0.0.1", port: proxy.port }, silentLogger);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.down();
    await database?.drop();
  });

  it("reports the outage, then recovers by itself once the database is back", async () => {
    const user = await store.users.add({ username: uniqueName("outage"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
    // Both pooled connections are in use before the outage, so both die with it.
    await Promise.all([store.users.findById(user.id), store.categories.list()]);
    expect(await store.ping()).toBe(true);

    await proxy.down();
    expect(await store.ping()).toBe(false);
    const during = await timed(store.users.findById(user.id));
    expectUnavailable(during.result);
    expect(during.ms).toBeLessThan(3_000);

    await proxy.up();
    expect(await store.ping()).toBe(true);
    // Connections cut by the outage are discarded, not handed out again.
    for (let i = 0; i < 4; i++) expect((await store.users.findById(user.id))?.id).toBe(user.id);
  });

  it("rolls back a unit of work whose connection is cut half-way, and goes on working", async () => {
    const user = await store.users.add({ username: uniqueName("cut"), passwordHash: "x", createdAt: at("2026-01-01 00:00") });
    const category = await store.categories.add(uniqueName("cut"));
    let written = 0;
    const outcome = await timed(
      store.transactor.run(userScope(user.id), async (repos) => {
        written = (await repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null })).id;
        await proxy.down();
        return repos.entries.findRunning(user.id);
      }),
    );
    expectUnavailable(outcome.result);
    await proxy.up();
    expect(written).toBeGreaterThan(0);
    // The server rolled the transaction back when its connection went away.
    await expect.poll(() => store.entries.findById(written), { timeout: 5_000 }).toBeNull();
    const again = await store.transactor.run(userScope(user.id), (repos) =>
      repos.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null }),
    );
    expect(await store.entries.findRunning(user.id)).toEqual(again);
  });
});
