import type { User } from "../../../domain/user.js";
import type { NewSession, SessionRepository } from "../../../application/ports/session-repository.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./mysql-user-repository.js";

/** Sessions keyed by the SHA-256 of their bearer token; the token itself is never stored. */
export class MySqlSessionRepository implements SessionRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(session: NewSession): Promise<void> {
    await this.db.change("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [
      session.tokenHash,
      session.userId,
      toSecond(session.createdAt),
      toSecond(session.expiresAt),
    ]);
  }

  async findUser(tokenHash: string, now: Date): Promise<User | null> {
    const rows = await this.db.select<UserRow>(
      `SELECT ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
      [tokenHash, now],
    );
    return rows[0] ? toUser(rows[0]) : null;
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
