import type { User } from "../../domain/user.js";
import { formatInstant } from "../../domain/instant.js";
import { presentApiToken, presentEntry, presentPreferences, presentWebhook } from "./presenters.js";
import type { UseCases } from "./use-cases.js";

/**
 * One part of GET /me/export: a member of the document's top-level object. A `value` section is
 * read whole (it is small: a profile, preferences); a `list` section is written one item at a
 * time as the store gives them, so a user with a million entries costs a batch of memory, not a
 * million. A feature that keeps something of the user's adds its section to EXPORT_SECTIONS
 * (without secrets: a token's or webhook's secret is never exported).
 */
export type ExportSection =
  | { readonly name: string; readonly kind: "value"; read(useCases: UseCases, user: User): Promise<unknown> }
  | { readonly name: string; readonly kind: "list"; read(useCases: UseCases, user: User): Promise<AsyncIterable<unknown>> };

async function* presentedEntries(useCases: UseCases, user: User): AsyncIterable<unknown> {
  const { entries } = await useCases.exportEntries.execute({ actor: user, username: user.username });
  for await (const entry of entries) yield presentEntry(entry, user.username);
}

/** The sections, in the document's order. */
export const EXPORT_SECTIONS: readonly ExportSection[] = [
  {
    name: "profile",
    kind: "value",
    read: async (_useCases, user) => ({
      user_id: user.id,
      username: user.username,
      created_at: formatInstant(user.createdAt),
      role: user.role,
      active: user.active,
      hourly_rate_cents: user.hourlyRateCents,
    }),
  },
  {
    name: "preferences",
    kind: "value",
    read: async (useCases, user) => presentPreferences(await useCases.getPreferences.execute({ actor: user })),
  },
  {
    name: "api_tokens",
    kind: "value",
    read: async (useCases, user) => (await useCases.listApiTokens.execute({ actor: user })).map(presentApiToken),
  },
  {
    name: "webhooks",
    kind: "value",
    read: async (useCases, user) => (await useCases.listWebhooks.execute({ actor: user })).map(presentWebhook),
  },
  { name: "entries", kind: "list", read: async (useCases, user) => presentedEntries(useCases, user) },
];

/** Items per piece written to the socket: one write per item would be one HTTP chunk each. */
const ITEMS_PER_PIECE = 500;

/**
 * The export document as pieces of JSON text: `{"exported_at": …, "<section>": …, …}`, each
 * list's items read and written a piece at a time. The pieces joined are one JSON document.
 */
export async function* exportPieces(
  useCases: UseCases,
  user: User,
  now: Date,
  sections: readonly ExportSection[] = EXPORT_SECTIONS,
): AsyncGenerator<string> {
  yield `{"exported_at":${JSON.stringify(formatInstant(now))}`;
  for (const section of sections) {
    const key = `,${JSON.stringify(section.name)}:`;
    if (section.kind === "value") {
      yield key + JSON.stringify(await section.read(useCases, user));
      continue;
    }
    let piece = `${key}[`;
    let count = 0;
    for await (const item of await section.read(useCases, user)) {
      piece += (count++ === 0 ? "" : ",") + JSON.stringify(item);
      if (count % ITEMS_PER_PIECE === 0) {
        yield piece;
        piece = "";
      }
    }
    yield `${piece}]`;
  }
  yield "}\n";
}
