import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import { TeamNotFound } from "../../../domain/errors.js";
import type { Team } from "../../../domain/team.js";
import { caller } from "../auth.js";
import { pathId } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** A team id from the path; anything but a positive integer is simply not a team. */
const teamId = (raw: string): number => pathId(raw, (id) => new TeamNotFound(id));

function presentTeam(team: Team): Static<typeof S.Team> {
  return {
    id: team.id,
    name: team.name,
    members: team.members.map((member) => ({ username: member.username, lead: member.lead })),
  };
}

/** Teams and their members (behind the auth hook): writes for admins, reads for members too. */
export function teamRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };
    const tags = ["teams"];

    app.post(
      "/teams",
      {
        schema: {
          tags,
          operationId: "createTeam",
          summary: "Create a team (admins); a name in use is 409 TEAM_NAME_TAKEN",
          security,
          body: ref(S.NewTeam),
          response: { 201: ref(S.TeamEnvelope), ...errors },
        },
      },
      async (request, reply) => {
        const team = await useCases.createTeam.execute({ actor: caller(request), name: request.body.name });
        return reply.code(201).send({ team: presentTeam(team) });
      },
    );

    app.get(
      "/teams",
      {
        schema: {
          tags,
          operationId: "listTeams",
          summary: "Teams sorted by name: every team for an admin, otherwise the caller's own",
          security,
          response: { 200: ref(S.TeamList), ...errors },
        },
      },
      async (request) => ({ teams: (await useCases.listTeams.execute({ actor: caller(request) })).map(presentTeam) }),
    );

    app.get(
      "/teams/:id",
      {
        schema: {
          tags,
          operationId: "getTeam",
          summary: "A team (admins, or its members); any other is 404 TEAM_NOT_FOUND",
          security,
          params: S.IdParams,
          response: { 200: ref(S.TeamEnvelope), ...errors },
        },
      },
      async (request) => ({
        team: presentTeam(await useCases.getTeam.execute({ actor: caller(request), id: teamId(request.params.id) })),
      }),
    );

    app.patch(
      "/teams/:id",
      {
        schema: {
          tags,
          operationId: "renameTeam",
          summary: "Rename a team (admins)",
          security,
          params: S.IdParams,
          body: ref(S.NewTeam),
          response: { 200: ref(S.TeamEnvelope), ...errors },
        },
      },
      async (request) => {
        const team = await useCases.renameTeam.execute({
          actor: caller(request),
          id: teamId(request.params.id),
          name: request.body.name,
        });
        return { team: presentTeam(team) };
      },
    );

    app.delete(
      "/teams/:id",
      {
        schema: {
          tags,
          operationId: "deleteTeam",
          summary: "Delete a team (admins); its members' entries stay",
          security,
          params: S.IdParams,
          response: { 204: { type: "null", description: "Deleted" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.deleteTeam.execute({ actor: caller(request), id: teamId(request.params.id) });
        return reply.code(204).send();
      },
    );

    app.put(
      "/teams/:id/members/:username",
      {
        schema: {
          tags,
          operationId: "setTeamMember",
          summary: "Add a user to a team, or change whether they lead it (admins)",
          security,
          params: S.TeamMemberParams,
          body: ref(S.Membership),
          response: { 200: ref(S.TeamEnvelope), ...errors },
        },
        preValidation: async (request) => {
          if (request.body === undefined) request.body = {};
        },
      },
      async (request) => {
        const team = await useCases.setTeamMember.execute({
          actor: caller(request),
          id: teamId(request.params.id),
          username: request.params.username,
          lead: request.body.lead ?? false,
        });
        return { team: presentTeam(team) };
      },
    );

    app.delete(
      "/teams/:id/members/:username",
      {
        schema: {
          tags,
          operationId: "removeTeamMember",
          summary: "Take a user out of a team (admins)",
          security,
          params: S.TeamMemberParams,
          response: { 204: { type: "null", description: "Removed" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.removeTeamMember.execute({
          actor: caller(request),
          id: teamId(request.params.id),
          username: request.params.username,
        });
        return reply.code(204).send();
      },
    );
  };
}
