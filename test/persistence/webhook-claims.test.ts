import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { DeliverWebhookEvents } from "../../src/application/webhooks.js";
import type { ClaimedDelivery } from "../../src/application/ports/webhook-repository.js";
import type { SendResult, WebhookSender } from "../../src/application/ports/webhook-sender.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { uniqueName } from "../support/names.js";

/** Counts sends per delivery, answering 204 after a short wait (so claims overlap). */
class CountingSender implements WebhookSender {
  readonly sent = new Map<number, number>();
  async send(delivery: ClaimedDelivery): Promise<SendResult> {
    this.sent.set(delivery.id, (this.sent.get(delivery.id) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { statusCode: 204 };
  }
}

/** "With several processes, each attempt is made by one of them": two stores' workers on one database. */
describe.skipIf(!mysqlAvailable)("webhook outbox on MySQL with two processes' workers", () => {
  let database: TestDatabase;
  let stores: [MySqlStore, MySqlStore];
  beforeAll(async () => {
    database = await createTestDatabase("webhook_claims");
    stores = [await database.openStore({ poolSize: 4 }), await database.openStore({ poolSize: 4, migrate: false })];
  });
  afterAll(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await database?.drop();
  });

  it("sends every queued event exactly once (SELECT … FOR UPDATE SKIP LOCKED)", async () => {
    const [a, b] = stores;
    const user = await a.users.add({ username: uniqueName("hook"), passwordHash: "h", createdAt: new Date() });
    const webhook = await a.webhooks.add({
      userId: user.id, url: "http://203.0.113.9/", eventMask: 1, description: null, allUsers: false, secret: `whsec_${Buffer.alloc(24).toString("base64")}`, createdAt: new Date(),
    });
    const now = new Date(Date.now() - 1000);
    await Promise.all(Array.from({ length: 60 }, () => a.webhooks.enqueuePing(webhook.id, now)));
    const sender = new CountingSender();
    const policy = { retryBaseSeconds: 5, leaseSeconds: 30, batchSize: 5 };
    const clock = { now: () => new Date() };
    const workers = [a, b, a, b].map((store) => new DeliverWebhookEvents(store.webhooks, sender, clock, policy));
    const drain = async (worker: DeliverWebhookEvents) => {
      while ((await worker.execute()) > 0);
    };
    await Promise.all(workers.map(drain));
    expect(sender.sent.size).toBe(60);
    expect([...sender.sent.values()].every((count) => count === 1)).toBe(true);
    const log = await b.webhooks.deliveries(webhook.id, 100);
    expect(log.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("records a round's mixed outcomes together, each on its own delivery", async () => {
    const [a] = stores;
    const user = await a.users.add({ username: uniqueName("hook"), passwordHash: "h", createdAt: new Date() });
    const webhook = await a.webhooks.add({
      userId: user.id, url: "http://203.0.113.9/", eventMask: 1, description: null, allUsers: false, secret: `whsec_${Buffer.alloc(24).toString("base64")}`, createdAt: new Date(),
    });
    await Promise.all(Array.from({ length: 6 }, () => a.webhooks.enqueuePing(webhook.id, new Date(Date.now() - 1000))));
    // Deliveries in id order: 204, 500, a refused connection, and again.
    const results: SendResult[] = [{ statusCode: 204 }, { statusCode: 500 }, { error: "connect ECONNREFUSED 'é' \\ ;" }];
    const ids: number[] = [];
    const sender: WebhookSender = {
      send: async (delivery) => {
        ids.push(delivery.id);
        return results[(ids.length - 1) % 3] as SendResult;
      },
    };
    const policy = { retryBaseSeconds: 5, leaseSeconds: 30, batchSize: 10 };
    expect(await new DeliverWebhookEvents(a.webhooks, sender, { now: () => new Date() }, policy).execute()).toBe(6);
    const log = new Map((await a.webhooks.deliveries(webhook.id, 10)).map((d) => [d.id, d]));
    ids.forEach((id, i) => {
      const delivery = log.get(id);
      if (i % 3 === 0) expect(delivery).toMatchObject({ status: "delivered", lastStatusCode: 204, lastError: null, deliveredAt: expect.any(Date) });
      if (i % 3 === 1) expect(delivery).toMatchObject({ status: "pending", lastStatusCode: 500, lastError: "answered 500", deliveredAt: null });
      if (i % 3 === 2) {
        expect(delivery).toMatchObject({ status: "pending", lastStatusCode: null, lastError: "connect ECONNREFUSED 'é' \\ ;", deliveredAt: null });
      }
      expect(delivery?.attempts).toBe(1);
    });
  });
});
