import { parseRole, type UserId } from "../../../domain/user.js";
import type {
  Invitation,
  InvitationId,
  InvitationRepository,
  NewInvitation,
} from "../../../application/ports/invitation-repository.js";
import type { SqlAccess } from "./sqlite-database.js";
import { fromEpochSeconds, instantParam, toEpochSeconds } from "./sqlite-values.js";

interface InvitationRow {
  readonly id: number;
  readonly role: string;
  readonly created_by: number | null;
  readonly created_at: number;
  readonly expires_at: number;
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    role: parseRole(row.role),
    createdBy: row.created_by,
    createdAt: fromEpochSeconds(row.created_at),
    expiresAt: fromEpochSeconds(row.expires_at),
  };
}

const COLUMNS = "id, role, created_by, created_at, expires_at";
const INSERT = `
  INSERT INTO invitations (code_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
  RETURNING ${COLUMNS}`;
const USABLE = `SELECT ${COLUMNS} FROM invitations WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?`;
const MARK_USED = "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL";
const LIST_USABLE = `SELECT ${COLUMNS} FROM invitations WHERE used_at IS NULL AND expires_at > ? ORDER BY id DESC`;
const DELETE_UNUSED = "DELETE FROM invitations WHERE id = ? AND used_at IS NULL";

/** Invitation codes by their SHA-256; a code is shown once, when it is made. */
export class SqliteInvitationRepository implements InvitationRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(invitation: NewInvitation): Promise<Invitation> {
    return this.sql.write((c) => {
      const row = c
        .statement<InvitationRow>(INSERT)
        .get(
          invitation.codeHash,
          invitation.role,
          invitation.createdBy,
          toEpochSeconds(invitation.createdAt),
          toEpochSeconds(invitation.expiresAt),
        );
      if (!row) throw new Error("INSERT … RETURNING gave no row");
      return toInvitation(row);
    });
  }

  findUsable(codeHash: string, now: Date): Promise<Invitation | null> {
    return this.sql.read((c) => {
      const row = c.statement<InvitationRow>(USABLE).get(codeHash, instantParam(now));
      return row ? toInvitation(row) : null;
    });
  }

  markUsed(id: InvitationId, userId: UserId, now: Date): Promise<boolean> {
    return this.sql.write((c) => c.statement(MARK_USED).run(toEpochSeconds(now), userId, id).changes > 0);
  }

  listUsable(now: Date): Promise<Invitation[]> {
    return this.sql.read((c) => c.statement<InvitationRow>(LIST_USABLE).all(instantParam(now)).map(toInvitation));
  }

  remove(id: InvitationId): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE_UNUSED).run(id).changes > 0);
  }
}
