import type { RowDataPacket } from "mysql2/promise";
import type { UserId } from "../../../domain/user.js";
import type { IdentityLink, IdentityLinkRepository } from "../../../application/ports/identity-link-repository.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";

interface LinkRow extends RowDataPacket {
  issuer: string;
  subject: string;
  user_id: number;
  created_at: Date;
}

/** Single sign-on links, (issuer, sub) → user; both columns are utf8mb4_bin, so `sub` compares exactly. */
export class MySqlIdentityLinkRepository implements IdentityLinkRepository {
  constructor(private readonly db: SqlRunner) {}

  async findUser(issuer: string, subject: string): Promise<UserId | null> {
    const rows = await this.db.select<LinkRow>("SELECT user_id FROM identity_links WHERE issuer = ? AND subject = ?", [issuer, subject]);
    return rows[0]?.user_id ?? null;
  }

  async add(link: IdentityLink): Promise<boolean> {
    // The primary key (issuer, subject) settles a race: the second insert of one pair fails alone
    // (not INSERT IGNORE, which would also hide a missing user).
    try {
      await this.db.change("INSERT INTO identity_links (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)", [
        link.issuer,
        link.subject,
        link.userId,
        toSecond(link.createdAt),
      ]);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async listForUser(userId: UserId): Promise<IdentityLink[]> {
    const rows = await this.db.select<LinkRow>(
      "SELECT issuer, subject, user_id, created_at FROM identity_links WHERE user_id = ? ORDER BY created_at, issuer, subject",
      [userId],
    );
    return rows.map((row) => ({ issuer: row.issuer, subject: row.subject, userId: row.user_id, createdAt: row.created_at }));
  }
}
