import { afterEach, describe, expect, it } from "vitest";
import { Webhook as Verifier } from "standardwebhooks";
import type { ClaimedDelivery } from "../../src/application/ports/webhook-repository.js";
import { deliveryTimeoutMs, HttpWebhookSender } from "../../src/adapters/webhooks/http-webhook-sender.js";
import { webhookReceiver } from "../support/webhook-receiver.js";

const SECRET = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
const delivery = (url: string): ClaimedDelivery => ({
  id: 42, webhookId: 7, url, secret: SECRET, type: "webhook.ping", attempt: 1, createdAt: new Date("2026-03-01T12:00:00Z"), entry: null, username: "ann",
});

describe("HttpWebhookSender", () => {
  const receivers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it("posts a signed delivery and answers the receiver's status", async () => {
    const receiver = await webhookReceiver((_r, res) => res.writeHead(202).end());
    receivers.push(receiver);
    const result = await new HttpWebhookSender(true).send(delivery(receiver.url), new Date());
    expect(result).toEqual({ statusCode: 202 });
    const [got] = receiver.received;
    expect(got?.headers["webhook-id"]).toBe("msg_42");
    expect(() => new Verifier(SECRET).verify(got?.body ?? "", got?.headers as Record<string, string>)).not.toThrow();
  });

  it("gives up on a receiver that never answers, once the deadline has passed", async () => {
    const receiver = await webhookReceiver(() => undefined);
    receivers.push(receiver);
    const started = Date.now();
    const result = await new HttpWebhookSender(true, 300).send(delivery(receiver.url), new Date());
    expect(result).toEqual({ error: "no answer within 0.3 s" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("bounds the whole attempt: an answer whose body never ends fails at the deadline (and is retried)", async () => {
    const receiver = await webhookReceiver((_r, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => res.write("."), 50);
      res.on("close", () => clearInterval(drip));
    });
    receivers.push(receiver);
    const started = Date.now();
    const result = await new HttpWebhookSender(true, 400).send(delivery(receiver.url), new Date());
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(5_000);
    expect(result).toEqual({ error: "no answer within 0.4 s" });
  });

  it("ends an attempt within half a short lease, so no other worker claims a delivery still being sent", () => {
    expect(deliveryTimeoutMs(30)).toBe(10_000);
    expect(deliveryTimeoutMs(20)).toBe(10_000);
    expect(deliveryTimeoutMs(12)).toBe(6_000);
    expect(deliveryTimeoutMs(1)).toBe(500);
  });

  it("leaves no deadline behind when the request cannot even be made", async () => {
    const sender = new HttpWebhookSender(true, 50);
    await expect(sender.send(delivery("ftp://127.0.0.1/hook"), new Date())).rejects.toThrow(/protocol/i);
    // A deadline still set would fire now, on a request never made, and throw outside any caller.
    await new Promise((resolve) => setTimeout(resolve, 150));
  });
});
