import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import { WebhookNotFound } from "../../../domain/errors.js";
import { formatInstant } from "../../../domain/instant.js";
import type { Delivery } from "../../../application/ports/webhook-repository.js";
import type { EntryChange } from "../../../application/ports/change-feed.js";
import { caller, sessionCaller } from "../auth.js";
import { pathId, presentEntry, presentWebhook } from "../presenters.js";
import * as I from "../integration-schemas.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";
import { eventIdOf } from "../../webhooks/http-webhook-sender.js";

const webhookId = (raw: string): number => pathId(raw, (id) => new WebhookNotFound(id));

function presentDelivery(delivery: Delivery): Static<typeof I.WebhookDelivery> {
  return {
    event_id: eventIdOf(delivery.id),
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    created_at: formatInstant(delivery.createdAt),
    delivered_at: delivery.deliveredAt === null ? null : formatInstant(delivery.deliveredAt),
  };
}

function presentChange(change: EntryChange, username: string): Static<typeof I.EntryChange> {
  return change.op === "upsert" ? { op: "upsert", entry: presentEntry(change.entry, username) } : { op: "delete", id: change.id };
}

/** Incremental sync and webhooks (behind the auth hook); managing webhooks needs a login session. */
export function integrationRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };
    const tags = ["integrations"];

    app.get(
      "/sync/entries",
      {
        schema: {
          tags,
          operationId: "syncEntries",
          summary: "What changed in your entries since the cursor (without one: every entry), oldest change first",
          description:
            "Follow next_cursor until has_more is false; later, the last next_cursor gives only what changed since. " +
            "An entry changed several times appears once, in its latest state; deletions are kept for 30 days " +
            "(an older cursor is 410 CURSOR_EXPIRED: start again without one). A malformed cursor is 400.",
          security,
          querystring: I.SyncQuery,
          response: { 200: ref(I.SyncPage), ...errors },
        },
      },
      async (request) => {
        const actor = caller(request);
        const page = await useCases.syncEntries.execute({
          actor,
          cursor: request.query.cursor,
          limit: request.query.limit ?? 500,
        });
        return {
          changes: page.changes.map((change) => presentChange(change, actor.username)),
          next_cursor: page.nextCursor,
          has_more: page.hasMore,
        };
      },
    );

    app.post(
      "/webhooks",
      {
        schema: {
          tags,
          operationId: "createWebhook",
          summary: "Subscribe a URL to entry events (Standard Webhooks); the secret is shown this once",
          description:
            "all_users (admins only) sees everyone's entries. A URL on a loopback, private, link-local or " +
            "unique-local address is 400 WEBHOOK_URL_FORBIDDEN unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.",
          security,
          body: ref(I.NewWebhook),
          response: { 201: ref(I.WebhookCreation), ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const webhook = await useCases.createWebhook.execute({
          actor: sessionCaller(request),
          url: body.url,
          events: body.events,
          description: body.description,
          allUsers: body.all_users,
        });
        return reply.code(201).send({ webhook: presentWebhook(webhook), secret: webhook.secret });
      },
    );

    app.get(
      "/webhooks",
      {
        schema: {
          tags,
          operationId: "listWebhooks",
          summary: "Your webhooks, oldest first (without their secrets)",
          security,
          response: { 200: ref(I.WebhookList), ...errors },
        },
      },
      async (request) => ({
        webhooks: (await useCases.listWebhooks.execute({ actor: sessionCaller(request) })).map(presentWebhook),
      }),
    );

    app.get(
      "/webhooks/:id",
      {
        schema: {
          tags,
          operationId: "getWebhook",
          summary: "One of your webhooks",
          security,
          params: S.IdParams,
          response: { 200: ref(I.WebhookEnvelope), ...errors },
        },
      },
      async (request) => ({
        webhook: presentWebhook(await useCases.getWebhook.execute({ actor: sessionCaller(request), id: webhookId(request.params.id) })),
      }),
    );

    app.patch(
      "/webhooks/:id",
      {
        schema: {
          tags,
          operationId: "updateWebhook",
          summary: "Change a webhook's URL, events, description, or whether it is active",
          security,
          params: S.IdParams,
          body: ref(I.WebhookChanges),
          response: { 200: ref(I.WebhookEnvelope), ...errors },
        },
      },
      async (request) => {
        const body = request.body;
        const webhook = await useCases.updateWebhook.execute({
          actor: sessionCaller(request),
          id: webhookId(request.params.id),
          url: body.url,
          events: body.events,
          active: body.active,
          description: body.description,
        });
        return { webhook: presentWebhook(webhook) };
      },
    );

    app.delete(
      "/webhooks/:id",
      {
        schema: {
          tags,
          operationId: "deleteWebhook",
          summary: "Delete a webhook and its delivery log",
          security,
          params: S.IdParams,
          response: { 204: { type: "null", description: "Deleted" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.deleteWebhook.execute({ actor: sessionCaller(request), id: webhookId(request.params.id) });
        return reply.code(204).send();
      },
    );

    app.get(
      "/webhooks/:id/deliveries",
      {
        schema: {
          tags,
          operationId: "listWebhookDeliveries",
          summary: "The webhook's latest deliveries (100), newest first",
          description:
            "Finished deliveries (delivered, or failed after their last retry) are kept 30 days after their last attempt; pending ones until they finish.",
          security,
          params: S.IdParams,
          response: { 200: ref(I.WebhookDeliveryList), ...errors },
        },
      },
      async (request) => {
        const deliveries = await useCases.listWebhookDeliveries.execute({
          actor: sessionCaller(request),
          id: webhookId(request.params.id),
        });
        return { deliveries: deliveries.map(presentDelivery) };
      },
    );

    app.post(
      "/webhooks/:id/ping",
      {
        schema: {
          tags,
          operationId: "pingWebhook",
          summary: "Send a webhook.ping event now (see the delivery log for the answer)",
          security,
          params: S.IdParams,
          response: { 202: { type: "null", description: "Queued" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.pingWebhook.execute({ actor: sessionCaller(request), id: webhookId(request.params.id) });
        return reply.code(202).send();
      },
    );
  };
}
