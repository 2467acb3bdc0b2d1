import type { User } from "../../../domain/user.js";
import type { NewSession, SessionRepository } from "../../../application/ports/session-repository.js";
import type DataLoader from "dataloader";
import { coalescedReads, inList } from "./coalesced-reads.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./mysql-user-repository.js";

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
    await this.db.change("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [
      session.tokenHash,
      session.userId,
      toSecond(session.createdAt),
      toSecond(session.expiresAt),
    ]);
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
}
