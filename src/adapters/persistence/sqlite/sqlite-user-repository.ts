import { UsernameTaken } from "../../../domain/errors.js";
import { nameKey } from "../../../domain/names.js";
import { parseRole, type User, type UserId } from "../../../domain/user.js";
import type {
  NewUser,
  UserFieldChanges,
  UserPageQuery,
  UserRepository,
} from "../../../application/ports/user-repository.js";
import { isUniqueViolation, type SqlAccess } from "./sqlite-database.js";
import { fromEpochSeconds, toEpochSeconds } from "./sqlite-values.js";

export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly pwd_hash: string;
  readonly created_at: number;
  readonly role: string;
  readonly active: number;
  readonly hourly_rate_cents: number | null;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.pwd_hash,
    createdAt: fromEpochSeconds(row.created_at),
    role: parseRole(row.role),
    active: row.active === 1,
    hourlyRateCents: row.hourly_rate_cents,
  };
}

/** The columns a User is read from, for a table aliased `u`. */
export const USER_COLUMNS = "u.id, u.username, u.pwd_hash, u.created_at, u.role, u.active, u.hourly_rate_cents";

const INSERT = `
  INSERT INTO users (username, name_key, pwd_hash, salt, created_at, role) VALUES (?, ?, ?, '', ?, ?)
  RETURNING ${USER_COLUMNS.replaceAll("u.", "")}`;
const BY_ID = `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`;
const BY_NAME_KEY = `SELECT ${USER_COLUMNS} FROM users u WHERE u.name_key = ?`;
const UPDATE_HASH = "UPDATE users SET pwd_hash = ?, updated_at = unixepoch() WHERE id = ?";
const PAGE = `SELECT ${USER_COLUMNS} FROM users u WHERE u.id > ? ORDER BY u.id LIMIT ?`;
const UPDATE_FIELDS = `
  UPDATE users SET
    role = coalesce(@role, role),
    active = coalesce(@active, active),
    hourly_rate_cents = CASE WHEN @setRate THEN @rate ELSE hourly_rate_cents END,
    updated_at = unixepoch()
  WHERE id = @id`;
const ANY_USER = "SELECT 1 FROM users LIMIT 1";
const ACTIVE_OWNERS = "SELECT count(*) AS n FROM users WHERE role = 'owner' AND active = 1";

/**
 * Users. The hash lives in `pwd_hash` (argon2id embeds its own salt; `salt` stays empty and is
 * kept for the seed's column list). Uniqueness is the UNIQUE index on `name_key`.
 */
export class SqliteUserRepository implements UserRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(user: NewUser): Promise<User> {
    return this.sql.write((c) => {
      try {
        const row = c
          .statement<UserRow>(INSERT)
          .get(user.username, nameKey(user.username), user.passwordHash, toEpochSeconds(user.createdAt), user.role ?? "member");
        if (!row) throw new Error("INSERT … RETURNING gave no row");
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error, "users.name_key")) throw new UsernameTaken(user.username);
        throw error;
      }
    });
  }

  findById(id: UserId): Promise<User | null> {
    return this.sql.read((c) => {
      const row = c.statement<UserRow>(BY_ID).get(id);
      return row ? toUser(row) : null;
    });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.sql.read((c) => {
      const row = c.statement<UserRow>(BY_NAME_KEY).get(nameKey(username));
      return row ? toUser(row) : null;
    });
  }

  async updatePasswordHash(id: UserId, passwordHash: string): Promise<void> {
    await this.sql.write((c) => c.statement(UPDATE_HASH).run(passwordHash, id));
  }

  list(query: UserPageQuery): Promise<User[]> {
    return this.sql.read((c) => c.statement<UserRow>(PAGE).all(query.afterId ?? 0, query.limit).map(toUser));
  }

  update(id: UserId, changes: UserFieldChanges): Promise<User | null> {
    return this.sql.write((c) => {
      const rate = changes.hourlyRateCents;
      c.statement(UPDATE_FIELDS).run({
        id,
        role: changes.role ?? null,
        active: changes.active === undefined ? null : changes.active ? 1 : 0,
        setRate: rate === undefined ? 0 : 1,
        rate: rate ?? null,
      });
      const row = c.statement<UserRow>(BY_ID).get(id);
      return row ? toUser(row) : null;
    });
  }

  isEmpty(): Promise<boolean> {
    return this.sql.read((c) => c.statement(ANY_USER).get() === undefined);
  }

  countActiveOwners(): Promise<number> {
    return this.sql.read((c) => c.statement<{ n: number }>(ACTIVE_OWNERS).get()?.n ?? 0);
  }

  remove(id: UserId): Promise<boolean> {
    return this.sql.write((c) => {
      c.statement("DELETE FROM time_entries WHERE user_id = ?").run(id);
      c.statement("DELETE FROM sessions WHERE user_id = ?").run(id);
      return c.statement("DELETE FROM users WHERE id = ?").run(id).changes > 0;
    });
  }
}
