import { storedTokenScope } from "../../domain/api-token.js";
import type { ApiToken } from "../../application/ports/api-token-repository.js";

/** The columns both SQL stores read a token by (aliased, so they sit beside a user's in a join). */
export const API_TOKEN_COLUMNS =
  "t.id AS t_id, t.user_id AS t_user_id, t.name AS t_name, t.scope AS t_scope, t.created_at AS t_created_at, " +
  "t.expires_at AS t_expires_at, t.last_used_at AS t_last_used_at";

/** A token's row; `Instant` is how the store hands over a time (epoch seconds, or a Date). */
export interface ApiTokenColumns<Instant> {
  readonly t_id: number;
  readonly t_user_id: number;
  readonly t_name: string;
  readonly t_scope: string;
  readonly t_created_at: Instant;
  readonly t_expires_at: Instant | null;
  readonly t_last_used_at: Instant | null;
}

export function toApiToken<Instant>(row: ApiTokenColumns<Instant>, toDate: (value: Instant) => Date): ApiToken {
  return {
    id: row.t_id,
    userId: row.t_user_id,
    name: row.t_name,
    scope: storedTokenScope(row.t_scope),
    createdAt: toDate(row.t_created_at),
    expiresAt: row.t_expires_at === null ? null : toDate(row.t_expires_at),
    lastUsedAt: row.t_last_used_at === null ? null : toDate(row.t_last_used_at),
  };
}
