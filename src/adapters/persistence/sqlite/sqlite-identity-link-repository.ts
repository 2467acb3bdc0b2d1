import type { UserId } from "../../../domain/user.js";
import type { IdentityLink, IdentityLinkRepository } from "../../../application/ports/identity-link-repository.js";
import type { SqlAccess } from "./sqlite-database.js";
import { fromEpochSeconds, toEpochSeconds } from "./sqlite-values.js";

interface LinkRow {
  readonly issuer: string;
  readonly subject: string;
  readonly user_id: number;
  readonly created_at: number;
}

const FIND = "SELECT user_id FROM identity_links WHERE issuer = ? AND subject = ?";
// The primary key (issuer, subject) settles a race: the second insert of one pair changes nothing.
const ADD = "INSERT INTO identity_links (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
const FOR_USER = "SELECT issuer, subject, user_id, created_at FROM identity_links WHERE user_id = ? ORDER BY created_at, issuer, subject";

/** Single sign-on links, (issuer, sub) → user; TEXT compares byte for byte, as `sub` must. */
export class SqliteIdentityLinkRepository implements IdentityLinkRepository {
  constructor(private readonly sql: SqlAccess) {}

  findUser(issuer: string, subject: string): Promise<UserId | null> {
    return this.sql.read((c) => c.statement<{ user_id: number }>(FIND).get(issuer, subject)?.user_id ?? null);
  }

  add(link: IdentityLink): Promise<boolean> {
    return this.sql.write(
      (c) => c.statement(ADD).run(link.issuer, link.subject, link.userId, toEpochSeconds(link.createdAt)).changes > 0,
    );
  }

  listForUser(userId: UserId): Promise<IdentityLink[]> {
    return this.sql.read((c) =>
      c
        .statement<LinkRow>(FOR_USER)
        .all(userId)
        .map((row) => ({ issuer: row.issuer, subject: row.subject, userId: row.user_id, createdAt: fromEpochSeconds(row.created_at) })),
    );
  }
}
