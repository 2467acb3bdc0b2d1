/**
 * The body of the webhook sending thread (see ThreadedWebhookSender): it sends what the main
 * thread hands it with an HttpWebhookSender and answers each request's outcome. Requests come
 * and answers go in batches: one message per batch, not per delivery.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ClaimedDelivery } from "../../application/ports/webhook-repository.js";
import type { SendResult } from "../../application/ports/webhook-sender.js";
import { sendFailure } from "../../application/webhooks.js";
import { HttpWebhookSender } from "./http-webhook-sender.js";

export interface SendRequest {
  readonly ticket: number;
  readonly delivery: ClaimedDelivery;
  readonly now: Date;
}

export interface SendAnswer {
  readonly ticket: number;
  readonly result: SendResult;
}

export interface SendThreadOptions {
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
}

const port = parentPort;
if (port) {
  const options = workerData as SendThreadOptions;
  const sender = new HttpWebhookSender(options.allowPrivate, options.timeoutMs);
  let answers: SendAnswer[] = [];
  const flush = () => {
    const batch = answers;
    answers = [];
    port.postMessage(batch);
  };
  port.on("message", (requests: readonly SendRequest[]) => {
    for (const { ticket, delivery, now } of requests) {
      void sender
        .send(delivery, now)
        .catch(sendFailure)
        .then((result) => {
          if (answers.length === 0) setImmediate(flush);
          answers.push({ ticket, result });
        });
    }
  });
}
