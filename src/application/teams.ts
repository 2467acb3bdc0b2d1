import { TeamNotFound, UserNotFound } from "../domain/errors.js";
import { checkManagesTeams, isAdmin, maySeeTeam } from "../domain/policy.js";
import { parseTeamName, type Team, type TeamId } from "../domain/team.js";
import type { User } from "../domain/user.js";
import type { TeamRepository } from "./ports/team-repository.js";
import type { UserRepository } from "./ports/user-repository.js";

/*
 * Teams: admins make, rename, delete and staff them; everyone sees the teams they belong to,
 * admins every team. A team the caller may not see is TEAM_NOT_FOUND, as if it did not exist.
 * One name per team (compared as every name is): the store's unique index settles a race.
 */

/** The team, if the actor may see it; TEAM_NOT_FOUND otherwise. */
async function visibleTeam(teams: TeamRepository, actor: User, id: TeamId): Promise<Team> {
  const team = await teams.findById(id);
  if (!team || !maySeeTeam(actor, team.members.map((member) => member.userId))) throw new TeamNotFound(id);
  return team;
}

async function teamAndUser(teams: TeamRepository, users: UserRepository, id: TeamId, username: string) {
  const team = await teams.findById(id);
  if (!team) throw new TeamNotFound(id);
  const user = await users.findByUsername(username);
  if (!user) throw new UserNotFound(username);
  return { team, user };
}

export class CreateTeam {
  constructor(private readonly teams: TeamRepository) {}

  execute(input: { readonly actor: User; readonly name: string }): Promise<Team> {
    checkManagesTeams(input.actor);
    return this.teams.add(parseTeamName(input.name));
  }
}

export class ListTeams {
  constructor(private readonly teams: TeamRepository) {}

  execute(input: { readonly actor: User }): Promise<Team[]> {
    return isAdmin(input.actor.role) ? this.teams.list() : this.teams.listOf(input.actor.id);
  }
}

export class GetTeam {
  constructor(private readonly teams: TeamRepository) {}

  execute(input: { readonly actor: User; readonly id: TeamId }): Promise<Team> {
    return visibleTeam(this.teams, input.actor, input.id);
  }
}

export class RenameTeam {
  constructor(private readonly teams: TeamRepository) {}

  async execute(input: { readonly actor: User; readonly id: TeamId; readonly name: string }): Promise<Team> {
    checkManagesTeams(input.actor);
    const team = await this.teams.rename(input.id, parseTeamName(input.name));
    if (!team) throw new TeamNotFound(input.id);
    return team;
  }
}

export class DeleteTeam {
  constructor(private readonly teams: TeamRepository) {}

  async execute(input: { readonly actor: User; readonly id: TeamId }): Promise<void> {
    checkManagesTeams(input.actor);
    if (!(await this.teams.remove(input.id))) throw new TeamNotFound(input.id);
  }
}

/** Adds the user to the team, or changes whether they lead it. */
export class SetTeamMember {
  constructor(
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(input: { readonly actor: User; readonly id: TeamId; readonly username: string; readonly lead: boolean }): Promise<Team> {
    checkManagesTeams(input.actor);
    const { team, user } = await teamAndUser(this.teams, this.users, input.id, input.username);
    await this.teams.setMember(team.id, user.id, input.lead);
    return visibleTeam(this.teams, input.actor, team.id);
  }
}

/** USER_NOT_FOUND for a user who is not a member of the team. */
export class RemoveTeamMember {
  constructor(
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(input: { readonly actor: User; readonly id: TeamId; readonly username: string }): Promise<void> {
    checkManagesTeams(input.actor);
    const { team, user } = await teamAndUser(this.teams, this.users, input.id, input.username);
    if (!(await this.teams.removeMember(team.id, user.id))) throw new UserNotFound(input.username);
  }
}
