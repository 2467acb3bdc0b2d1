import type { RowDataPacket } from "mysql2/promise";
import { UsernameTaken } from "../../../domain/errors.js";
import { parseRole, type User, type UserId } from "../../../domain/user.js";
import type {
  NewUser,
  UserFieldChanges,
  UserPageQuery,
  UserRepository,
} from "../../../application/ports/user-repository.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";
import { storedNameKey } from "./name-keys.js";

/** `users` as the seed made it (pwd_hash and salt binary), plus created_at. */
export interface UserRow extends RowDataPacket {
  id: number;
  username: string | null;
  pwd_hash: Buffer | string | null;
  created_at: Date | null;
  role: string;
  active: number;
  hourly_rate_cents: number | null;
}

/** The columns a User is read from, for a table aliased `u`. */
export const USER_COLUMNS = "u.id, u.username, u.pwd_hash, u.created_at, u.role, u.active, u.hourly_rate_cents";

/** A seed database keeps hashes in VARBINARY or BLOB columns: the driver hands those over as bytes. */
function text(value: Buffer | string | null): string {
  if (value === null) return "";
  return typeof value === "string" ? value : value.toString("utf8");
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username ?? "",
    passwordHash: text(row.pwd_hash),
    createdAt: row.created_at ?? new Date(0),
    role: parseRole(row.role),
    active: row.active === 1,
    hourlyRateCents: row.hourly_rate_cents,
  };
}

/**
 * The seed's `salt` column is NOT NULL, and bcrypt kept its salt there too. An argon2id hash
 * carries its own salt, so new and rehashed users get an empty one.
 */
const NO_SALT = "";

/** Users; one per name, compared by the UNIQUE binary `name_key` (see name-keys.ts). */
export class MySqlUserRepository implements UserRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(user: NewUser): Promise<User> {
    const createdAt = toSecond(user.createdAt);
    const role = user.role ?? "member";
    try {
      const result = await this.db.change(
        "INSERT INTO users (username, name_key, pwd_hash, salt, created_at, role) VALUES (?, ?, ?, ?, ?, ?)",
        [user.username, storedNameKey(user.username), user.passwordHash, NO_SALT, createdAt, role],
      );
      const { passwordHash, username } = user;
      return { id: result.insertId, username, passwordHash, createdAt, role, active: true, hourlyRateCents: null };
    } catch (error) {
      // The unique index on name_key decides.
      if (isDuplicateKey(error)) throw new UsernameTaken(user.username);
      throw error;
    }
  }

  async findById(id: UserId): Promise<User | null> {
    const rows = await this.db.select<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const rows = await this.db.select<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.name_key = ?`,
      [storedNameKey(username)],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async updatePasswordHash(id: UserId, passwordHash: string): Promise<void> {
    await this.db.change("UPDATE users SET pwd_hash = ?, salt = ? WHERE id = ?", [passwordHash, NO_SALT, id]);
  }

  async list(query: UserPageQuery): Promise<User[]> {
    const rows = await this.db.select<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id > ? ORDER BY u.id LIMIT ?`,
      [query.afterId ?? 0, String(query.limit)],
    );
    return rows.map(toUser);
  }

  async update(id: UserId, changes: UserFieldChanges): Promise<User | null> {
    const sets: string[] = [];
    const params: (string | number | null)[] = [];
    if (changes.role !== undefined) {
      sets.push("role = ?");
      params.push(changes.role);
    }
    if (changes.active !== undefined) {
      sets.push("active = ?");
      params.push(changes.active ? 1 : 0);
    }
    if (changes.hourlyRateCents !== undefined) {
      sets.push("hourly_rate_cents = ?");
      params.push(changes.hourlyRateCents);
    }
    if (sets.length > 0) await this.db.change(`UPDATE users SET ${sets.join(", ")} WHERE id = ?`, [...params, id]);
    return this.findById(id);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.db.select<RowDataPacket>("SELECT 1 AS one FROM users LIMIT 1")).length === 0;
  }

  async countActiveOwners(): Promise<number> {
    const rows = await this.db.select<RowDataPacket>(
      "SELECT COUNT(*) AS n FROM users WHERE role = 'owner' AND active = 1",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Three statements: atomic inside a unit of work (DeleteAccount runs it in one). */
  async remove(id: UserId): Promise<boolean> {
    await this.db.change("DELETE FROM time_entries WHERE user_id = ?", [id]);
    await this.db.change("DELETE FROM sessions WHERE user_id = ?", [id]);
    const result = await this.db.change("DELETE FROM users WHERE id = ?", [id]);
    return result.affectedRows > 0;
  }
}
