import { parseName } from "./names.js";
import type { UserId } from "./user.js";

export type TeamId = number;

export interface TeamMember {
  readonly userId: UserId;
  readonly username: string;
  /** A lead sees the entries of every member of the team. */
  readonly lead: boolean;
}

export interface Team {
  readonly id: TeamId;
  readonly name: string;
  /** Sorted by username, as names sort. */
  readonly members: readonly TeamMember[];
}

export const TEAM_NAME_MAX = 100;

/** A team name is stored as first written, trimmed, 1-100 characters; names compare by their key. */
export function parseTeamName(raw: string, field = "name"): string {
  return parseName(raw, field, TEAM_NAME_MAX);
}
