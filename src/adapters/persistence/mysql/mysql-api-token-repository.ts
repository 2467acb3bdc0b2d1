import type { RowDataPacket } from "mysql2/promise";
import type { User, UserId } from "../../../domain/user.js";
import type { ApiToken, ApiTokenId, ApiTokenRepository, NewApiToken } from "../../../application/ports/api-token-repository.js";
import { API_TOKEN_COLUMNS, toApiToken, type ApiTokenColumns } from "../api-token-rows.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./mysql-user-repository.js";

type TokenRow = ApiTokenColumns<Date> & RowDataPacket;
const toToken = (row: TokenRow) => toApiToken(row, (date) => date);
const COLUMNS = API_TOKEN_COLUMNS;

/** API tokens by the SHA-256 of their secret; the secret is shown once, when the token is made. */
export class MySqlApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(token: NewApiToken): Promise<ApiToken> {
    const createdAt = toSecond(token.createdAt);
    const expiresAt = token.expiresAt === null ? null : toSecond(token.expiresAt);
    const result = await this.db.change(
      "INSERT INTO api_tokens (token_hash, user_id, name, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      [token.tokenHash, token.userId, token.name, token.scope, createdAt, expiresAt],
    );
    return { id: result.insertId, userId: token.userId, name: token.name, scope: token.scope, createdAt, expiresAt, lastUsedAt: null };
  }

  async findLive(tokenHash: string, now: Date): Promise<{ token: ApiToken; user: User } | null> {
    const rows = await this.db.select<TokenRow & UserRow>(
      `SELECT ${COLUMNS}, ${USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id ` +
        "WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)",
      [tokenHash, now],
    );
    const row = rows[0];
    return row ? { token: toToken(row), user: toUser(row) } : null;
  }

  async listByUser(userId: UserId): Promise<ApiToken[]> {
    const rows = await this.db.select<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens t WHERE t.user_id = ? ORDER BY t.id DESC`, [
      userId,
    ]);
    return rows.map(toToken);
  }

  async remove(userId: UserId, id: ApiTokenId): Promise<boolean> {
    const result = await this.db.change("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", [id, userId]);
    return result.affectedRows > 0;
  }

  async recordUse(id: ApiTokenId, minute: Date): Promise<void> {
    const at = toSecond(minute);
    await this.db.change("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)", [
      at,
      id,
      at,
    ]);
  }
}
