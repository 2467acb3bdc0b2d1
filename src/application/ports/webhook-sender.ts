import type { ClaimedDelivery } from "./webhook-repository.js";

/** What one attempt gave: the answer's status, or why there was none. */
export type SendResult = { readonly statusCode: number } | { readonly error: string };

/** Sends one signed delivery (Standard Webhooks), refusing addresses the guard forbids. */
export interface WebhookSender {
  send(delivery: ClaimedDelivery, now: Date): Promise<SendResult>;
}

/** Checks a webhook URL when it is set: 400 WEBHOOK_URL_FORBIDDEN for a private address. */
export interface WebhookUrlGuard {
  check(url: URL): Promise<void>;
}

/** Makes a webhook's signing secret: `whsec_` + base64 of at least 24 random bytes. */
export interface WebhookSecretGenerator {
  newSecret(): string;
}
