import { describe, expect, it } from "vitest";
import type { WebhookRepository } from "../../src/application/ports/webhook-repository.js";
import { DELIVERY_LOG_RETENTION_DAYS, PurgeWebhookDeliveries } from "../../src/application/webhooks.js";
import { FixedClock } from "../support/fakes.js";

/** A store whose purge removes, per call, up to `limit` of `finished` deliveries, and notes each call. */
function storeWith(finished: number) {
  let left = finished;
  const calls: { before: Date; limit: number }[] = [];
  const webhooks = {
    purgeFinished: async (before: Date, limit: number) => {
      calls.push({ before, limit });
      const removed = Math.min(left, limit);
      left -= removed;
      return removed;
    },
  } as Pick<WebhookRepository, "purgeFinished"> as WebhookRepository;
  return { webhooks, calls, left: () => left };
}

describe("PurgeWebhookDeliveries", () => {
  const clock = new FixedClock(new Date("2026-06-30T12:00:00Z"));

  it(`deletes what finished more than ${DELIVERY_LOG_RETENTION_DAYS} days ago, a chunk per transaction until none is left`, async () => {
    const store = storeWith(25);
    expect(await new PurgeWebhookDeliveries(store.webhooks, clock, 10).execute()).toBe(25);
    expect(store.left()).toBe(0);
    expect(store.calls.map((call) => call.limit)).toEqual([10, 10, 10]);
    for (const call of store.calls) expect(call.before).toEqual(new Date("2026-05-31T12:00:00Z"));
  });

  it("asks once when there is nothing to delete, and once more after an exactly full chunk", async () => {
    const none = storeWith(0);
    expect(await new PurgeWebhookDeliveries(none.webhooks, clock, 10).execute()).toBe(0);
    expect(none.calls).toHaveLength(1);
    const full = storeWith(10);
    expect(await new PurgeWebhookDeliveries(full.webhooks, clock, 10).execute()).toBe(10);
    expect(full.calls).toHaveLength(2);
  });
});
