import type { RowDataPacket } from "mysql2/promise";
import { TeamNameTaken } from "../../../domain/errors.js";
import { sortByName } from "../../../domain/names.js";
import type { Team, TeamId, TeamMember } from "../../../domain/team.js";
import type { UserId } from "../../../domain/user.js";
import type { TeamRepository } from "../../../application/ports/team-repository.js";
import { inList } from "./coalesced-reads.js";
import type { SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";
import { sortByStoredKey, storedNameKey } from "./name-keys.js";

interface TeamRow extends RowDataPacket {
  id: number;
  name: string;
  name_key: Buffer;
}

interface MemberRow extends RowDataPacket {
  team_id: number;
  user_id: number;
  username: string | null;
  is_lead: number;
}

export class MySqlTeamRepository implements TeamRepository {
  constructor(private readonly db: SqlRunner) {}

  /** Teams with their members in one more statement, not one per team; sorted as names sort. */
  private async withMembers(rows: readonly TeamRow[]): Promise<Team[]> {
    if (rows.length === 0) return [];
    const { placeholders, params } = inList(rows.map((row) => row.id));
    const memberRows = await this.db.select<MemberRow>(
      "SELECT m.team_id, m.user_id, u.username, m.is_lead FROM team_members m JOIN users u ON u.id = m.user_id " +
        `WHERE m.team_id IN (${placeholders})`,
      params,
    );
    const members = new Map<number, TeamMember[]>();
    for (const row of memberRows) {
      const list = members.get(row.team_id) ?? [];
      list.push({ userId: row.user_id, username: row.username ?? "", lead: row.is_lead === 1 });
      members.set(row.team_id, list);
    }
    return sortByStoredKey(rows, (row) => row.name, (row) => row.name_key).map((row) => ({
      id: row.id,
      name: row.name,
      members: sortByName(members.get(row.id) ?? [], (member) => member.username),
    }));
  }

  async add(name: string): Promise<Team> {
    try {
      const result = await this.db.change("INSERT INTO teams (name, name_key) VALUES (?, ?)", [name, storedNameKey(name)]);
      return { id: result.insertId, name, members: [] };
    } catch (error) {
      if (isDuplicateKey(error)) throw new TeamNameTaken(name);
      throw error;
    }
  }

  async findById(id: TeamId): Promise<Team | null> {
    const rows = await this.db.select<TeamRow>("SELECT id, name, name_key FROM teams WHERE id = ?", [id]);
    return (await this.withMembers(rows))[0] ?? null;
  }

  async list(): Promise<Team[]> {
    return this.withMembers(await this.db.select<TeamRow>("SELECT id, name, name_key FROM teams"));
  }

  async listOf(userId: UserId): Promise<Team[]> {
    const rows = await this.db.select<TeamRow>(
      "SELECT t.id, t.name, t.name_key FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ?",
      [userId],
    );
    return this.withMembers(rows);
  }

  async rename(id: TeamId, name: string): Promise<Team | null> {
    try {
      await this.db.change("UPDATE teams SET name = ?, name_key = ? WHERE id = ?", [name, storedNameKey(name), id]);
    } catch (error) {
      if (isDuplicateKey(error)) throw new TeamNameTaken(name);
      throw error;
    }
    return this.findById(id);
  }

  async remove(id: TeamId): Promise<boolean> {
    return (await this.db.change("DELETE FROM teams WHERE id = ?", [id])).affectedRows > 0;
  }

  async setMember(id: TeamId, userId: UserId, lead: boolean): Promise<void> {
    await this.db.change(
      "INSERT INTO team_members (team_id, user_id, is_lead) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE is_lead = VALUES(is_lead)",
      [id, userId, lead ? 1 : 0],
    );
  }

  async removeMember(id: TeamId, userId: UserId): Promise<boolean> {
    return (await this.db.change("DELETE FROM team_members WHERE team_id = ? AND user_id = ?", [id, userId])).affectedRows > 0;
  }

  async leads(leadId: UserId, memberId: UserId): Promise<boolean> {
    const rows = await this.db.select<RowDataPacket>(
      "SELECT 1 AS one FROM team_members l JOIN team_members m ON m.team_id = l.team_id " +
        "WHERE l.user_id = ? AND l.is_lead = 1 AND m.user_id = ? LIMIT 1",
      [leadId, memberId],
    );
    return rows.length > 0;
  }
}
