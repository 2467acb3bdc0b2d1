import type { Team, TeamId } from "../../domain/team.js";
import type { UserId } from "../../domain/user.js";

export interface TeamRepository {
  /** Throws the domain's TeamNameTaken when a team of that name exists (names compare by key). */
  add(name: string): Promise<Team>;
  findById(id: TeamId): Promise<Team | null>;
  /** Every team, sorted by name. */
  list(): Promise<Team[]>;
  /** The teams `userId` belongs to, sorted by name. */
  listOf(userId: UserId): Promise<Team[]>;
  /** Renames; null when the team does not exist; TeamNameTaken when the name is another team's. */
  rename(id: TeamId, name: string): Promise<Team | null>;
  /** Removes the team and its memberships; false when it did not exist. */
  remove(id: TeamId): Promise<boolean>;
  /** Adds the user to the team, or changes whether they lead it. */
  setMember(id: TeamId, userId: UserId, lead: boolean): Promise<void>;
  /** False when the user was not a member. */
  removeMember(id: TeamId, userId: UserId): Promise<boolean>;
  /** Whether `leadId` leads a team that `memberId` belongs to. */
  leads(leadId: UserId, memberId: UserId): Promise<boolean>;
}
