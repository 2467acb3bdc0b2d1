import { UsernameTaken } from "../../../domain/errors.js";
import { nameKey } from "../../../domain/names.js";
import type { User, UserId } from "../../../domain/user.js";
import type { NewUser, UserPageQuery, UserRepository } from "../../../application/ports/user-repository.js";
import { isUniqueViolation, type SqlAccess } from "./sqlite-database.js";
import { fromEpochSeconds, toEpochSeconds } from "./sqlite-values.js";

export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly pwd_hash: string;
  readonly created_at: number;
}

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, passwordHash: row.pwd_hash, createdAt: fromEpochSeconds(row.created_at) };
}

const INSERT = `
  INSERT INTO users (username, name_key, pwd_hash, salt, created_at) VALUES (?, ?, ?, '', ?)
  RETURNING id, username, pwd_hash, created_at`;
const BY_ID = "SELECT id, username, pwd_hash, created_at FROM users WHERE id = ?";
const BY_NAME_KEY = "SELECT id, username, pwd_hash, created_at FROM users WHERE name_key = ?";
const UPDATE_HASH = "UPDATE users SET pwd_hash = ?, updated_at = unixepoch() WHERE id = ?";
const PAGE = "SELECT id, username, pwd_hash, created_at FROM users WHERE id > ? ORDER BY id LIMIT ?";

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
          .get(user.username, nameKey(user.username), user.passwordHash, toEpochSeconds(user.createdAt));
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
}
