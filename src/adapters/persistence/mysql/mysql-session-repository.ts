import type { RowDataPacket } from "mysql2/promise";
import type { User, UserId } from "../../../domain/user.js";
import type { NewSession, SessionRepository, SessionSummary } from "../../../application/ports/session-repository.js";
import { newSessionId } from "../session-ids.js";
import type DataLoader from "dataloader";
import { coalescedReads, inList } from "./coalesced-reads.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./mysql-user-repository.js";

interface SessionRow extends RowDataPacket {
  public_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
}

interface SessionUserRow extends UserRow {
  token_hash: string;
  expires_at: Date;
}

/**
 * Sessions keyed by the SHA-256 of their bearer token; the token itself is never stored.
 * On the pool, the lookups of one event-loop turn share a statement (see coalescedReads): every
 * authenticated request makes one, so under load this halves the statements of a simple read.
 */
export class MySqlSessionRepository implements SessionRepository {
  private readonly lookups: DataLoader<string, SessionUserRow | null> | null;

  constructor(
    private readonly db: SqlRunner,
    options: { readonly coalesce: boolean } = { coalesce: false },
  ) {
    this.lookups = options.coalesce ? coalescedReads((hashes) => this.readSessions(hashes)) : null;
  }

  async add(session: NewSession): Promise<void> {
    await this.db.change(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, public_id) VALUES (?, ?, ?, ?, ?)",
      [session.tokenHash, session.userId, toSecond(session.createdAt), toSecond(session.expiresAt), newSessionId()],
    );
  }

  async findUser(tokenHash: string, now: Date): Promise<User | null> {
    const row = this.lookups ? await this.lookups.load(tokenHash) : ((await this.readSessions([tokenHash]))[0] ?? null);
    // Compared here rather than in SQL so that lookups with different clocks can share a statement.
    return row && row.expires_at.getTime() > now.getTime() ? toUser(row) : null;
  }

  /** The session rows (with their users) of these token hashes, in the same order; null where none. */
  private async readSessions(hashes: readonly string[]): Promise<(SessionUserRow | null)[]> {
    const { placeholders, params } = inList(hashes);
    const rows = await this.db.select<SessionUserRow>(
      `SELECT s.token_hash, s.expires_at, ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id ` +
        `WHERE s.token_hash IN (${placeholders})`,
      params,
    );
    // token_hash is binary-collated: the strings match exactly.
    const byHash = new Map(rows.map((row) => [row.token_hash, row]));
    return hashes.map((hash) => byHash.get(hash) ?? null);
  }

  async remove(tokenHash: string): Promise<boolean> {
    const result = await this.db.change("DELETE FROM sessions WHERE token_hash = ?", [tokenHash]);
    return result.affectedRows > 0;
  }

  async removeExpired(now: Date): Promise<number> {
    const result = await this.db.change("DELETE FROM sessions WHERE expires_at <= ?", [now]);
    return result.affectedRows;
  }

  async listByUser(userId: UserId, now: Date): Promise<SessionSummary[]> {
    const rows = await this.db.select<SessionRow>(
      "SELECT public_id, token_hash, created_at, expires_at FROM sessions WHERE user_id = ? AND expires_at > ? " +
        "ORDER BY created_at DESC, public_id",
      [userId, now],
    );
    return rows.map((row) => ({ id: row.public_id, tokenHash: row.token_hash, createdAt: row.created_at, expiresAt: row.expires_at }));
  }

  async removeById(userId: UserId, id: string): Promise<boolean> {
    const result = await this.db.change("DELETE FROM sessions WHERE user_id = ? AND public_id = ?", [userId, id]);
    return result.affectedRows > 0;
  }

  async removeOthers(userId: UserId, keepTokenHash: string): Promise<number> {
    const result = await this.db.change("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", [userId, keepTokenHash]);
    return result.affectedRows;
  }
}
