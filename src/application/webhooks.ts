import { Forbidden, ValidationFailed, WebhookNotFound } from "../domain/errors.js";
import { isAdmin } from "../domain/policy.js";
import {
  DESCRIPTION_MAX,
  eventMask,
  parseWebhookUrl,
  retryDelaySeconds,
  type Webhook,
  type WebhookId,
} from "../domain/webhook.js";
import type { Actor } from "./entry-support.js";
import type { Clock } from "./ports/clock.js";
import type { AttemptOutcome, AttemptRecord, Delivery, WebhookRepository } from "./ports/webhook-repository.js";
import type { SendResult, WebhookSecretGenerator, WebhookSender, WebhookUrlGuard } from "./ports/webhook-sender.js";

function checkDescription(description: string | null | undefined): string | null | undefined {
  if (description !== undefined && description !== null && [...description].length > DESCRIPTION_MAX) {
    throw new ValidationFailed("description", `must be at most ${DESCRIPTION_MAX} characters`);
  }
  return description;
}

/** The caller's own webhook; anyone else's is WEBHOOK_NOT_FOUND, as if it did not exist. */
async function ownWebhook(webhooks: WebhookRepository, actor: Actor, id: WebhookId): Promise<Webhook> {
  const webhook = await webhooks.findById(id);
  if (!webhook || webhook.userId !== actor.id) throw new WebhookNotFound(id);
  return webhook;
}

async function checkedUrl(guard: WebhookUrlGuard, raw: string): Promise<string> {
  const url = parseWebhookUrl(raw);
  await guard.check(url);
  return raw;
}

export interface CreateWebhookInput {
  readonly actor: Actor;
  readonly url: string;
  readonly events: readonly string[];
  readonly description?: string | null | undefined;
  readonly allUsers?: boolean | undefined;
}

export class CreateWebhook {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly secrets: WebhookSecretGenerator,
    private readonly clock: Clock,
  ) {}

  /** The webhook and its secret (shown this once). */
  async execute(input: CreateWebhookInput): Promise<Webhook> {
    const allUsers = input.allUsers ?? false;
    if (allUsers && !isAdmin(input.actor.role)) throw new Forbidden("Only an admin can make a webhook for all users");
    const mask = eventMask(input.events);
    const description = checkDescription(input.description) ?? null;
    const url = await checkedUrl(this.guard, input.url);
    return this.webhooks.add({
      userId: input.actor.id,
      url,
      eventMask: mask,
      description,
      allUsers,
      secret: this.secrets.newSecret(),
      createdAt: this.clock.now(),
    });
  }
}

export class ListWebhooks {
  constructor(private readonly webhooks: WebhookRepository) {}

  execute(input: { readonly actor: Actor }): Promise<Webhook[]> {
    return this.webhooks.listByUser(input.actor.id);
  }
}

export class GetWebhook {
  constructor(private readonly webhooks: WebhookRepository) {}

  execute(input: { readonly actor: Actor; readonly id: WebhookId }): Promise<Webhook> {
    return ownWebhook(this.webhooks, input.actor, input.id);
  }
}

export interface UpdateWebhookInput {
  readonly actor: Actor;
  readonly id: WebhookId;
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly active?: boolean | undefined;
  readonly description?: string | null | undefined;
}

export class UpdateWebhook {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly guard: WebhookUrlGuard,
  ) {}

  async execute(input: UpdateWebhookInput): Promise<Webhook> {
    await ownWebhook(this.webhooks, input.actor, input.id);
    const changes = {
      ...(input.url === undefined ? {} : { url: await checkedUrl(this.guard, input.url) }),
      ...(input.events === undefined ? {} : { eventMask: eventMask(input.events) }),
      ...(input.active === undefined ? {} : { active: input.active }),
      ...(input.description === undefined ? {} : { description: checkDescription(input.description) ?? null }),
    };
    const updated = await this.webhooks.update(input.id, changes);
    if (!updated) throw new WebhookNotFound(input.id);
    return updated;
  }
}

export class DeleteWebhook {
  constructor(private readonly webhooks: WebhookRepository) {}

  async execute(input: { readonly actor: Actor; readonly id: WebhookId }): Promise<void> {
    await ownWebhook(this.webhooks, input.actor, input.id);
    if (!(await this.webhooks.remove(input.id))) throw new WebhookNotFound(input.id);
  }
}

/** The delivery log shows this many of the latest deliveries. */
export const DELIVERY_LOG_LIMIT = 100;

export class ListWebhookDeliveries {
  constructor(private readonly webhooks: WebhookRepository) {}

  async execute(input: { readonly actor: Actor; readonly id: WebhookId }): Promise<Delivery[]> {
    await ownWebhook(this.webhooks, input.actor, input.id);
    return this.webhooks.deliveries(input.id, DELIVERY_LOG_LIMIT);
  }
}

export class PingWebhook {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly onQueued: () => void,
  ) {}

  async execute(input: { readonly actor: Actor; readonly id: WebhookId }): Promise<void> {
    await ownWebhook(this.webhooks, input.actor, input.id);
    await this.webhooks.enqueuePing(input.id, this.clock.now());
    this.onQueued();
  }
}

export interface DeliveryPolicy {
  /** The delay before the first retry; later ones grow (retryDelaySeconds). */
  readonly retryBaseSeconds: number;
  /** How long a claimed delivery is reserved for its worker (longer than a send may take). */
  readonly leaseSeconds: number;
  /** Deliveries claimed per round. */
  readonly batchSize: number;
}

/** One attempt's outcome: a 2xx is a delivery; anything else is retried until the attempts run out. */
export function outcomeOf(result: SendResult, attempt: number, now: Date, retryBaseSeconds: number): AttemptOutcome {
  if ("statusCode" in result && result.statusCode >= 200 && result.statusCode < 300) {
    return { kind: "delivered", statusCode: result.statusCode };
  }
  const statusCode = "statusCode" in result ? result.statusCode : null;
  const error = "statusCode" in result ? `answered ${result.statusCode}` : result.error;
  const delay = retryDelaySeconds(attempt, retryBaseSeconds);
  if (delay === null) return { kind: "failed", statusCode, error };
  return { kind: "retry", statusCode, error, at: new Date(now.getTime() + delay * 1000) };
}

/** The outcome of a send that threw: a failed attempt, with the error's message as its reason. */
export function sendFailure(error: unknown): SendResult {
  return { error: error instanceof Error ? error.message.slice(0, 200) : "the send failed" };
}

/** Finished deliveries stay in the delivery log (with their payloads) this long after their last attempt. */
export const DELIVERY_LOG_RETENTION_DAYS = 30;
/** Deliveries deleted per transaction by the purge, so that no write waits long behind it. */
const PURGE_CHUNK = 1000;

/**
 * Housekeeping: deletes the deliveries finished more than DELIVERY_LOG_RETENTION_DAYS ago, and
 * with them the entries' snapshots they carried, a chunk per transaction. Pending ones stay until
 * they finish. Returns how many it deleted.
 */
export class PurgeWebhookDeliveries {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly chunk = PURGE_CHUNK,
  ) {}

  async execute(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - DELIVERY_LOG_RETENTION_DAYS * 86_400_000);
    let removed = 0;
    for (;;) {
      const deleted = await this.webhooks.purgeFinished(before, this.chunk);
      removed += deleted;
      if (deleted < this.chunk) return removed;
    }
  }
}

/**
 * One round of the delivery worker: claims the due deliveries (each attempt made by one worker,
 * whichever process it runs in), sends them at once, and records their outcomes together once
 * the last has answered (at most DELIVERY_TIMEOUT_MS, inside the lease: 30 s by default).
 * Recorded one by one, every delivery cost SQLite a commit of its own, whose fsync holds the
 * event loop: each entry write with a webhook then paid for two commits. Returns how many it sent.
 */
export class DeliverWebhookEvents {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly policy: DeliveryPolicy,
  ) {}

  async execute(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.webhooks.claimDue(now, new Date(now.getTime() + this.policy.leaseSeconds * 1000), this.policy.batchSize);
    const attempts = await Promise.all(
      claimed.map(async (delivery): Promise<AttemptRecord> => {
        let result: SendResult;
        try {
          result = await this.sender.send(delivery, this.clock.now());
        } catch (error) {
          // A sender that throws fails this attempt alone, not the round's record.
          result = sendFailure(error);
        }
        const done = this.clock.now();
        return { id: delivery.id, outcome: outcomeOf(result, delivery.attempt, done, this.policy.retryBaseSeconds), at: done };
      }),
    );
    if (attempts.length > 0) await this.webhooks.recordAttempts(attempts);
    return claimed.length;
  }
}
