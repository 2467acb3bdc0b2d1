import { TeamNameTaken } from "../../../domain/errors.js";
import { nameKey, sortByName } from "../../../domain/names.js";
import type { Team, TeamId, TeamMember } from "../../../domain/team.js";
import type { UserId } from "../../../domain/user.js";
import type { TeamRepository } from "../../../application/ports/team-repository.js";
import { isUniqueViolation, type Connection, type SqlAccess } from "./sqlite-database.js";

interface TeamRow {
  readonly id: number;
  readonly name: string;
  readonly name_key: string;
}

interface MemberRow {
  readonly team_id: number;
  readonly user_id: number;
  readonly username: string;
  readonly is_lead: number;
}

const INSERT = "INSERT INTO teams (name, name_key) VALUES (?, ?) RETURNING id, name, name_key";
const BY_ID = "SELECT id, name, name_key FROM teams WHERE id = ?";
const ALL = "SELECT id, name, name_key FROM teams";
const OF_USER = "SELECT t.id, t.name, t.name_key FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ?";
const RENAME = "UPDATE teams SET name = ?, name_key = ? WHERE id = ?";
const DELETE = "DELETE FROM teams WHERE id = ?";
const MEMBERS_OF = `
  SELECT m.team_id, m.user_id, u.username, m.is_lead
  FROM team_members m JOIN users u ON u.id = m.user_id
  WHERE m.team_id IN (SELECT value FROM json_each(?))`;
const SET_MEMBER = `
  INSERT INTO team_members (team_id, user_id, is_lead) VALUES (?, ?, ?)
  ON CONFLICT (team_id, user_id) DO UPDATE SET is_lead = excluded.is_lead`;
const REMOVE_MEMBER = "DELETE FROM team_members WHERE team_id = ? AND user_id = ?";
const LEADS = `
  SELECT 1 FROM team_members l JOIN team_members m ON m.team_id = l.team_id
  WHERE l.user_id = ? AND l.is_lead = 1 AND m.user_id = ? LIMIT 1`;

/** Teams with their members in one more statement, not one per team; sorted as names sort. */
function withMembers(c: Connection, rows: readonly TeamRow[]): Team[] {
  if (rows.length === 0) return [];
  const members = new Map<number, TeamMember[]>();
  for (const row of c.statement<MemberRow>(MEMBERS_OF).all(JSON.stringify(rows.map((team) => team.id)))) {
    const list = members.get(row.team_id) ?? [];
    list.push({ userId: row.user_id, username: row.username, lead: row.is_lead === 1 });
    members.set(row.team_id, list);
  }
  return sortByName(rows, (row) => row.name, (row) => row.name_key).map((row) => ({
    id: row.id,
    name: row.name,
    members: sortByName(members.get(row.id) ?? [], (member) => member.username),
  }));
}

export class SqliteTeamRepository implements TeamRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(name: string): Promise<Team> {
    return this.sql.write((c) => {
      try {
        const row = c.statement<TeamRow>(INSERT).get(name, nameKey(name));
        if (!row) throw new Error("INSERT … RETURNING gave no row");
        return { id: row.id, name: row.name, members: [] };
      } catch (error) {
        if (isUniqueViolation(error, "teams.name_key")) throw new TeamNameTaken(name);
        throw error;
      }
    });
  }

  findById(id: TeamId): Promise<Team | null> {
    return this.sql.read((c) => {
      const row = c.statement<TeamRow>(BY_ID).get(id);
      return row ? (withMembers(c, [row])[0] ?? null) : null;
    });
  }

  list(): Promise<Team[]> {
    return this.sql.read((c) => withMembers(c, c.statement<TeamRow>(ALL).all()));
  }

  listOf(userId: UserId): Promise<Team[]> {
    return this.sql.read((c) => withMembers(c, c.statement<TeamRow>(OF_USER).all(userId)));
  }

  rename(id: TeamId, name: string): Promise<Team | null> {
    return this.sql.write((c) => {
      try {
        if (c.statement(RENAME).run(name, nameKey(name), id).changes === 0) return null;
      } catch (error) {
        if (isUniqueViolation(error, "teams.name_key")) throw new TeamNameTaken(name);
        throw error;
      }
      const row = c.statement<TeamRow>(BY_ID).get(id);
      return row ? (withMembers(c, [row])[0] ?? null) : null;
    });
  }

  remove(id: TeamId): Promise<boolean> {
    return this.sql.write((c) => c.statement(DELETE).run(id).changes > 0);
  }

  async setMember(id: TeamId, userId: UserId, lead: boolean): Promise<void> {
    await this.sql.write((c) => c.statement(SET_MEMBER).run(id, userId, lead ? 1 : 0));
  }

  removeMember(id: TeamId, userId: UserId): Promise<boolean> {
    return this.sql.write((c) => c.statement(REMOVE_MEMBER).run(id, userId).changes > 0);
  }

  leads(leadId: UserId, memberId: UserId): Promise<boolean> {
    return this.sql.read((c) => c.statement(LEADS).get(leadId, memberId) !== undefined);
  }
}
