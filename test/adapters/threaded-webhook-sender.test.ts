import { afterEach, describe, expect, it } from "vitest";
import type { Worker } from "node:worker_threads";
import { Webhook as Verifier } from "standardwebhooks";
import type { ClaimedDelivery } from "../../src/application/ports/webhook-repository.js";
import { ThreadedWebhookSender } from "../../src/adapters/webhooks/threaded-webhook-sender.js";
import { webhookReceiver } from "../support/webhook-receiver.js";

const SECRET = `whsec_${Buffer.alloc(24, 9).toString("base64")}`;
const delivery = (url: string, id = 42): ClaimedDelivery => ({
  id, webhookId: 7, url, secret: SECRET, type: "webhook.ping", attempt: 1, createdAt: new Date("2026-03-01T12:00:00Z"), entry: null, username: "ann",
});

/** The sender's thread, for the tests that stop it from outside. */
const threadOf = (sender: ThreadedWebhookSender): Worker | null => (sender as unknown as { thread: Worker | null }).thread;

describe("ThreadedWebhookSender", () => {
  const closing: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });
  const open = (allowPrivate = true, timeoutMs = 2_000, answerWithinMs?: number) => {
    const sender = new ThreadedWebhookSender({ allowPrivate, timeoutMs }, answerWithinMs);
    closing.push(sender);
    return sender;
  };

  it("sends signed deliveries from its thread and gives each send its own answer", async () => {
    // The answer's status names the delivery, so a mixed-up answer would show.
    const receiver = await webhookReceiver((r, res) => res.writeHead(200 + (Number(String(r.headers["webhook-id"]).slice(4)) % 7)).end());
    closing.push(receiver);
    const sender = open();
    const ids = Array.from({ length: 50 }, (_, i) => 100 + i);
    const results = await Promise.all(ids.map((id) => sender.send(delivery(receiver.url, id), new Date())));
    expect(results).toEqual(ids.map((id) => ({ statusCode: 200 + (id % 7) })));
    expect(receiver.received).toHaveLength(50);
    for (const got of receiver.received) {
      expect(() => new Verifier(SECRET).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    }
  });

  it("keeps the address guard: a private address is refused when private networks are not allowed", async () => {
    const receiver = await webhookReceiver();
    closing.push(receiver);
    const result = await open(false).send(delivery(receiver.url), new Date());
    expect(result).toHaveProperty("error");
    expect(receiver.received).toHaveLength(0);
  });

  it("answers a send the thread cannot even make as a failed attempt", async () => {
    expect(await open().send(delivery("ftp://127.0.0.1/hook"), new Date())).toEqual({ error: expect.stringMatching(/protocol/i) });
  });

  it("fails the sends of a thread that dies, and the next send starts a new thread", async () => {
    const silent = await webhookReceiver(() => undefined);
    const answering = await webhookReceiver();
    closing.push(silent, answering);
    const sender = open(true, 30_000);
    const held = sender.send(delivery(silent.url), new Date());
    await silent.waitFor((received) => received.length === 1);
    const first = threadOf(sender);
    await first?.terminate();
    expect(await held).toEqual({ error: expect.stringMatching(/^the sending thread stopped/) });
    expect(await sender.send(delivery(answering.url), new Date())).toEqual({ statusCode: 204 });
    expect(threadOf(sender)).not.toBe(first);
  });

  it("fails the sends of a thread that does not answer in time, stops it, and starts another for the next send", async () => {
    const silent = await webhookReceiver(() => undefined);
    const answering = await webhookReceiver();
    closing.push(silent, answering);
    // The send's own deadline (30 s) is far off: only the thread's answer deadline can end it.
    const sender = open(true, 30_000, 300);
    const started = Date.now();
    const held = await sender.send(delivery(silent.url), new Date());
    expect(held).toEqual({ error: "the sending thread did not answer within 0.3 s" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(threadOf(sender)).toBeNull();
    expect(await sender.send(delivery(answering.url), new Date())).toEqual({ statusCode: 204 });
  });

  it("fails the sends still out when it closes, and stops its thread", async () => {
    const silent = await webhookReceiver(() => undefined);
    closing.push(silent);
    const sender = open(true, 30_000);
    const held = sender.send(delivery(silent.url), new Date());
    await silent.waitFor((received) => received.length === 1);
    const thread = threadOf(sender);
    const exited = new Promise((resolve) => thread?.once("exit", resolve));
    await sender.close();
    expect(await held).toEqual({ error: "the service is stopping" });
    await exited;
    expect(threadOf(sender)).toBeNull();
    // Nothing is sent once it is closed, and no thread starts again.
    expect(await sender.send(delivery(silent.url), new Date())).toEqual({ error: "the service is stopping" });
    expect(threadOf(sender)).toBeNull();
    expect(silent.received).toHaveLength(1);
  });
});
