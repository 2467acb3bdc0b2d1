import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { ENTRY_EVENTS } from "../../domain/webhook.js";
import { ref, TimeEntry } from "./schemas.js";

/** Incremental sync and webhooks: the shapes of their routes (registered after allSchemas). */

function nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}
const InstantOut = Type.String({ description: "RFC 3339, UTC, whole seconds, e.g. 2026-02-10T08:00:00Z" });

export const SyncQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 200, description: "The next_cursor of the previous answer; left out: from the beginning" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  { additionalProperties: false },
);

export const EntryChange = Type.Object(
  {
    op: Type.Union([Type.Literal("upsert"), Type.Literal("delete")]),
    entry: Type.Optional(ref(TimeEntry)),
    id: Type.Optional(Type.Integer({ description: "The deleted entry's id (op delete)" })),
  },
  { $id: "EntryChange", additionalProperties: false, description: '{"op":"upsert","entry"} or {"op":"delete","id"}' },
);

export const SyncPage = Type.Object(
  {
    changes: Type.Array(ref(EntryChange)),
    next_cursor: Type.String({ description: "Opaque; pass it as `cursor` for what changed since" }),
    has_more: Type.Boolean(),
  },
  { $id: "SyncPage", additionalProperties: false },
);

const EventName = Type.Union([...ENTRY_EVENTS.map((event) => Type.Literal(event)), Type.Literal("*")]);
const Events = Type.Array(EventName, { minItems: 1, maxItems: 6, uniqueItems: true });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: "http:// or https://" });
const Description = Type.String({ maxLength: 500 });

export const NewWebhook = Type.Object(
  {
    url: Url,
    events: Events,
    description: Type.Optional(nullable(Description)),
    all_users: Type.Optional(Type.Boolean({ description: "Everyone's entries (admins only)" })),
  },
  { $id: "NewWebhook", additionalProperties: false },
);

export const WebhookChanges = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    active: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
  },
  { $id: "WebhookChanges", additionalProperties: false },
);

export const Webhook = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String(),
    events: Type.Array(Type.String()),
    description: nullable(Type.String()),
    all_users: Type.Boolean(),
    active: Type.Boolean(),
    created_at: InstantOut,
  },
  { $id: "Webhook", additionalProperties: false },
);

export const WebhookCreation = Type.Object(
  {
    webhook: ref(Webhook),
    secret: Type.String({ description: "whsec_ + base64 of the signing key: shown this once" }),
  },
  { $id: "WebhookCreation", additionalProperties: false },
);
export const WebhookEnvelope = Type.Object({ webhook: ref(Webhook) }, { $id: "WebhookEnvelope", additionalProperties: false });
export const WebhookList = Type.Object({ webhooks: Type.Array(ref(Webhook)) }, { $id: "WebhookList", additionalProperties: false });

export const WebhookDelivery = Type.Object(
  {
    event_id: Type.String({ description: "The webhook-id header of every attempt" }),
    type: Type.String(),
    status: Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
    attempts: Type.Integer(),
    last_status_code: nullable(Type.Integer()),
    last_error: nullable(Type.String()),
    created_at: InstantOut,
    delivered_at: nullable(Type.String({ description: "RFC 3339, UTC" })),
  },
  { $id: "WebhookDelivery", additionalProperties: false },
);
export const WebhookDeliveryList = Type.Object(
  { deliveries: Type.Array(ref(WebhookDelivery)) },
  { $id: "WebhookDeliveryList", additionalProperties: false },
);

/** Registered in this order, after allSchemas (they reference TimeEntry). */
export const integrationSchemas = [
  EntryChange,
  SyncPage,
  NewWebhook,
  WebhookChanges,
  Webhook,
  WebhookCreation,
  WebhookEnvelope,
  WebhookList,
  WebhookDelivery,
  WebhookDeliveryList,
];
