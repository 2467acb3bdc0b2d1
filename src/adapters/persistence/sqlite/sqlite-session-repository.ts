import type { User } from "../../../domain/user.js";
import type { NewSession, SessionRepository } from "../../../application/ports/session-repository.js";
import type { SqlAccess } from "./sqlite-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./sqlite-user-repository.js";
import { instantParam, toEpochSeconds } from "./sqlite-values.js";

const INSERT = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
const LIVE_USER = `
  SELECT ${USER_COLUMNS}
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = ? AND s.expires_at > ?`;
const DELETE = "DELETE FROM sessions WHERE token_hash = ?";
const DELETE_EXPIRED = "DELETE FROM sessions WHERE expires_at <= ?";

/** Sessions by the SHA-256 of their token; the token itself is never stored. */
export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly sql: SqlAccess) {}

  async add(session: NewSession): Promise<void> {
    await this.sql.write((c) =>
      c
        .statement(INSERT)
        .run(session.tokenHash, session.userId, toEpochSeconds(session.createdAt), toEpochSeconds(session.expiresAt)),
    );
  }

  findUser(tokenHash: string, now: Date): Promise<User | null> {
    return this.sql.read((c) => {
      const row = c.statement<UserRow>(LIVE_USER).get(tokenHash, instantParam(now));
      return row ? toUser(row) : null;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE).run(tokenHash).changes > 0);
  }

  removeExpired(now: Date): Promise<number> {
    return this.sql.write((c) => c.statement(DELETE_EXPIRED).run(instantParam(now)).changes);
  }
}
