import type { User, UserId } from "../../../domain/user.js";
import type { ApiToken, ApiTokenId, ApiTokenRepository, NewApiToken } from "../../../application/ports/api-token-repository.js";
import { API_TOKEN_COLUMNS, toApiToken, type ApiTokenColumns } from "../api-token-rows.js";
import type { SqlAccess } from "./sqlite-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./sqlite-user-repository.js";
import { fromEpochSeconds, instantParam, toEpochSeconds } from "./sqlite-values.js";

type TokenRow = ApiTokenColumns<number>;
const toToken = (row: TokenRow) => toApiToken(row, fromEpochSeconds);
const COLUMNS = API_TOKEN_COLUMNS;
const INSERT = `
  INSERT INTO api_tokens (token_hash, user_id, name, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
  RETURNING ${COLUMNS.replaceAll("t.", "")}`;
const LIVE = `
  SELECT ${COLUMNS}, ${USER_COLUMNS}
  FROM api_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`;
const OF_USER = `SELECT ${COLUMNS} FROM api_tokens t WHERE t.user_id = ? ORDER BY t.id DESC`;
const DELETE = "DELETE FROM api_tokens WHERE id = ? AND user_id = ?";
const RECORD_USE = "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)";

/** API tokens by the SHA-256 of their secret; the secret is shown once, when the token is made. */
export class SqliteApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(token: NewApiToken): Promise<ApiToken> {
    return this.sql.write((c) => {
      const row = c
        .statement<TokenRow>(INSERT)
        .get(
          token.tokenHash,
          token.userId,
          token.name,
          token.scope,
          toEpochSeconds(token.createdAt),
          token.expiresAt === null ? null : toEpochSeconds(token.expiresAt),
        );
      if (!row) throw new Error("INSERT … RETURNING gave no row");
      return toToken(row);
    });
  }

  findLive(tokenHash: string, now: Date): Promise<{ token: ApiToken; user: User } | null> {
    return this.sql.read((c) => {
      const row = c.statement<TokenRow & UserRow>(LIVE).get(tokenHash, instantParam(now));
      return row ? { token: toToken(row), user: toUser(row) } : null;
    });
  }

  listByUser(userId: UserId): Promise<ApiToken[]> {
    return this.sql.read((c) => c.statement<TokenRow>(OF_USER).all(userId).map(toToken));
  }

  remove(userId: UserId, id: ApiTokenId): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE).run(id, userId).changes > 0);
  }

  async recordUse(id: ApiTokenId, minute: Date): Promise<void> {
    const at = toEpochSeconds(minute);
    await this.sql.write((c) => c.statement(RECORD_USE).run(at, id, at));
  }
}
