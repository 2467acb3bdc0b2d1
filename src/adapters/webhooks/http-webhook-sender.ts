import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook as Signer } from "standardwebhooks";
import type { ClaimedDelivery } from "../../application/ports/webhook-repository.js";
import type { SendResult, WebhookSecretGenerator, WebhookSender } from "../../application/ports/webhook-sender.js";
import { presentEntry } from "../http/presenters.js";
import { hostOf, resolveAllowed } from "./address-guard.js";

/** A delivery that has not answered within this long has failed (and is retried). */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The deadline of an attempt under a lease of `leaseSeconds`: 10 s, or half the lease when that
 * is shorter, so that a round's sends and its record end before another worker may claim the
 * same deliveries again (which would send them twice).
 */
export function deliveryTimeoutMs(leaseSeconds: number): number {
  return Math.min(DELIVERY_TIMEOUT_MS, leaseSeconds * 500);
}

/** At most this much of an answer is read (and thrown away). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** `whsec_` + base64 of 32 random bytes. */
export class RandomWebhookSecretGenerator implements WebhookSecretGenerator {
  newSecret(): string {
    return `whsec_${randomBytes(32).toString("base64")}`;
  }
}

/** The event id of a delivery: the same on every attempt (the delivery log's event_id). */
export function eventIdOf(deliveryId: number): string {
  return `msg_${deliveryId}`;
}

/** The body of a delivery, as Standard Webhooks shapes it. */
export function deliveryBody(delivery: ClaimedDelivery): string {
  const data =
    delivery.entry === null ? { webhook_id: delivery.webhookId } : { entry: presentEntry(delivery.entry, delivery.username) };
  return JSON.stringify({ type: delivery.type, timestamp: delivery.createdAt.toISOString(), data });
}

/**
 * POSTs deliveries with node:http(s): signed with the standardwebhooks library, a deadline (10 s),
 * redirects not followed (a 3xx is a failed attempt), and the address connected to is the one
 * the SSRF guard checked (the lookup hook resolves, checks and hands that address to the
 * socket, so a second DNS answer cannot point it elsewhere).
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly timeoutMs = DELIVERY_TIMEOUT_MS,
  ) {}

  async send(delivery: ClaimedDelivery, now: Date): Promise<SendResult> {
    let url: URL;
    try {
      url = new URL(delivery.url);
    } catch {
      return { error: "the URL is not valid" };
    }
    let addresses;
    try {
      addresses = await resolveAllowed(hostOf(url), this.allowPrivate);
    } catch (error) {
      return { error: error instanceof Error ? error.message : "the address is not allowed" };
    }
    const body = deliveryBody(delivery);
    const id = eventIdOf(delivery.id);
    const signature = new Signer(delivery.secret).sign(id, now, body);
    const checked: LookupFunction = (_hostname, options, callback) => {
      const first = addresses[0];
      if (!first) return callback(new Error("no address"), "", 0);
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [...addresses]);
      } else callback(null, first.address, first.family);
    };
    return new Promise<SendResult>((resolve) => {
      const transport = url.protocol === "https:" ? https : http;
      let deadline: NodeJS.Timeout | undefined;
      const settle = (result: SendResult) => {
        clearTimeout(deadline);
        resolve(result);
      };
      const request = transport.request(
        url,
        {
          method: "POST",
          lookup: checked,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "user-agent": "time-tracker-webhooks",
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
            "webhook-signature": signature,
          },
        },
        (response) => {
          let read = 0;
          response.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          const done = () => settle({ statusCode: response.statusCode ?? 0 });
          response.on("end", done);
          response.on("close", done);
          response.on("error", done);
        },
      );
      request.on("error", (error) => settle({ error: error.message.slice(0, 200) }));
      // One deadline for the whole attempt (connecting, sending, and an answer that trickles in),
      // as a plain timer: an AbortSignal per request cost a sixth of a delivery's CPU. Set once
      // the request exists, so a request that cannot be made (it throws) leaves none behind.
      deadline = setTimeout(() => request.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
      request.end(body);
    });
  }
}
