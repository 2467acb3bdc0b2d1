import type { User, UserId } from "../../../domain/user.js";
import type { NewSession, SessionRepository, SessionSummary } from "../../../application/ports/session-repository.js";
import { newSessionId } from "../session-ids.js";
import type { SqlAccess } from "./sqlite-database.js";
import { toUser, USER_COLUMNS, type UserRow } from "./sqlite-user-repository.js";
import { fromEpochSeconds, instantParam, toEpochSeconds } from "./sqlite-values.js";

const INSERT = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, public_id) VALUES (?, ?, ?, ?, ?)";
const LIVE_USER = `
  SELECT ${USER_COLUMNS}
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = ? AND s.expires_at > ?`;
const DELETE = "DELETE FROM sessions WHERE token_hash = ?";
const DELETE_EXPIRED = "DELETE FROM sessions WHERE expires_at <= ?";
const BY_USER =
  "SELECT public_id, token_hash, created_at, expires_at FROM sessions WHERE user_id = ? AND expires_at > ? " +
  "ORDER BY created_at DESC, public_id";
const DELETE_BY_ID = "DELETE FROM sessions WHERE user_id = ? AND public_id = ?";
const DELETE_OTHERS = "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";

interface SessionRow {
  public_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
}


/** Sessions by the SHA-256 of their token; the token itself is never stored. */
export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly sql: SqlAccess) {}

  async add(session: NewSession): Promise<void> {
    await this.sql.write((c) =>
      c
        .statement(INSERT)
        .run(
          session.tokenHash,
          session.userId,
          toEpochSeconds(session.createdAt),
          toEpochSeconds(session.expiresAt),
          newSessionId(),
        ),
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

  listByUser(userId: UserId, now: Date): Promise<SessionSummary[]> {
    return this.sql.read((c) =>
      c
        .statement<SessionRow>(BY_USER)
        .all(userId, instantParam(now))
        .map((row) => ({
          id: row.public_id,
          tokenHash: row.token_hash,
          createdAt: fromEpochSeconds(row.created_at),
          expiresAt: fromEpochSeconds(row.expires_at),
        })),
    );
  }

  removeById(userId: UserId, id: string): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE_BY_ID).run(userId, id).changes > 0);
  }

  removeOthers(userId: UserId, keepTokenHash: string): Promise<number> {
    return this.sql.write((c) => c.statement(DELETE_OTHERS).run(userId, keepTokenHash).changes);
  }
}
