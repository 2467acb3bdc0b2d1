/** Who sees which screens: Admin for owners and admins, Team also for the leads of a team. No DOM, no API. */

type Role = "owner" | "admin" | "member";

interface TeamLike {
  readonly id: number;
  readonly members: readonly { readonly username: string; readonly lead: boolean }[];
}

export const isAdminRole = (role: Role): boolean => role === "owner" || role === "admin";

/** Whether `username` leads `team` (names compare case-insensitively, as the API's do). */
export function leads(team: TeamLike, username: string): boolean {
  const name = username.toLocaleLowerCase();
  return team.members.some((member) => member.lead && member.username.toLocaleLowerCase() === name);
}

/** The teams whose week the user may see on the Team screen: every team for an admin, else those they lead. */
export function teamsToWatch<T extends TeamLike>(teams: readonly T[], username: string, role: Role): T[] {
  return isAdminRole(role) ? [...teams] : teams.filter((team) => leads(team, username));
}
