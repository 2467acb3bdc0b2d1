import type { RowDataPacket } from "mysql2/promise";
import { parseRole, type UserId } from "../../../domain/user.js";
import type {
  Invitation,
  InvitationId,
  InvitationRepository,
  NewInvitation,
} from "../../../application/ports/invitation-repository.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";

interface InvitationRow extends RowDataPacket {
  id: number;
  role: string;
  created_by: number | null;
  created_at: Date;
  expires_at: Date;
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    role: parseRole(row.role),
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

const COLUMNS = "id, role, created_by, created_at, expires_at";

/** Invitation codes by their SHA-256; a code is shown once, when it is made. */
export class MySqlInvitationRepository implements InvitationRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(invitation: NewInvitation): Promise<Invitation> {
    const createdAt = toSecond(invitation.createdAt);
    const expiresAt = toSecond(invitation.expiresAt);
    const result = await this.db.change(
      "INSERT INTO invitations (code_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      [invitation.codeHash, invitation.role, invitation.createdBy, createdAt, expiresAt],
    );
    return { id: result.insertId, role: invitation.role, createdBy: invitation.createdBy, createdAt, expiresAt };
  }

  async findUsable(codeHash: string, now: Date): Promise<Invitation | null> {
    const rows = await this.db.select<InvitationRow>(
      `SELECT ${COLUMNS} FROM invitations WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?`,
      [codeHash, now],
    );
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  async markUsed(id: InvitationId, userId: UserId, now: Date): Promise<boolean> {
    const result = await this.db.change(
      "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL",
      [toSecond(now), userId, id],
    );
    return result.affectedRows > 0;
  }

  async listUsable(now: Date): Promise<Invitation[]> {
    const rows = await this.db.select<InvitationRow>(
      `SELECT ${COLUMNS} FROM invitations WHERE used_at IS NULL AND expires_at > ? ORDER BY id DESC`,
      [now],
    );
    return rows.map(toInvitation);
  }

  async remove(id: InvitationId): Promise<boolean> {
    const result = await this.db.change("DELETE FROM invitations WHERE id = ? AND used_at IS NULL", [id]);
    return result.affectedRows > 0;
  }
}
