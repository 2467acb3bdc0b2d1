import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import { InvitationNotFound } from "../../../domain/errors.js";
import { formatInstant } from "../../../domain/instant.js";
import type { Settings } from "../../../application/settings.js";
import { caller } from "../auth.js";
import { pathId, presentInvitation, presentUser } from "../presenters.js";
import * as S from "../schemas.js";
import { problem, ref } from "../schemas.js";
import type { UseCases } from "../use-cases.js";

/** An invitation id from the path; anything but a positive integer is simply not one. */
const invitationId = (raw: string): number => pathId(raw, (id) => new InvitationNotFound(id));

/** Who the instance's users are and what they may do: roles, activity, rates, invitations (behind the auth hook). */
export function instanceRoutes(useCases: UseCases): FastifyPluginAsyncTypebox {
  return async (app) => {
    const security = [{ bearer: [] }];
    const errors = { "4xx": problem, "5xx": problem };

    app.patch(
      "/users/:username",
      {
        schema: {
          tags: ["users"],
          operationId: "updateUser",
          summary: "Change a user's role (owners), whether they are active, or their hourly rate (admins)",
          description:
            "The last active owner cannot lose the role or be deactivated (409 LAST_OWNER). A deactivated " +
            "user cannot log in and their sessions stop working at once; their entries stay.",
          security,
          params: S.UsernameParams,
          body: ref(S.UserChanges),
          response: { 200: ref(S.UserEnvelope), ...errors },
        },
      },
      async (request) => {
        const actor = caller(request);
        const body = request.body;
        const user = await useCases.updateUser.execute({
          actor,
          username: request.params.username,
          changes: { role: body.role, active: body.active, hourlyRateCents: body.hourly_rate_cents },
        });
        return { user: presentUser(user, actor) };
      },
    );

    app.post(
      "/invitations",
      {
        schema: {
          tags: ["users"],
          operationId: "createInvitation",
          summary: "Make an invitation code (admins): one registration, with its role, until it expires",
          description: "The code is shown in this answer only; the service keeps its hash.",
          security,
          body: ref(S.NewInvitation),
          response: { 201: ref(S.InvitationEnvelope), ...errors },
        },
        preValidation: async (request) => {
          if (request.body === undefined) request.body = {};
        },
      },
      async (request, reply) => {
        const { invitation, code } = await useCases.createInvitation.execute({
          actor: caller(request),
          role: request.body.role,
          expiresInHours: request.body.expires_in_hours,
        });
        return reply.code(201).send({ invitation: presentInvitation(invitation, code) });
      },
    );

    app.get(
      "/invitations",
      {
        schema: {
          tags: ["users"],
          operationId: "listInvitations",
          summary: "Invitations that can still be used, newest first (admins; without their codes)",
          security,
          response: { 200: ref(S.InvitationList), ...errors },
        },
      },
      async (request) => {
        const invitations = await useCases.listInvitations.execute({ actor: caller(request) });
        return { invitations: invitations.map((invitation) => presentInvitation(invitation)) };
      },
    );

    app.delete(
      "/invitations/:id",
      {
        schema: {
          tags: ["users"],
          operationId: "deleteInvitation",
          summary: "Withdraw an unused invitation (admins)",
          security,
          params: S.IdParams,
          response: { 204: { type: "null", description: "Withdrawn" }, ...errors },
        },
      },
      async (request, reply) => {
        await useCases.deleteInvitation.execute({ actor: caller(request), id: invitationId(request.params.id) });
        return reply.code(204).send();
      },
    );

    app.get(
      "/settings",
      {
        schema: {
          tags: ["users"],
          operationId: "getSettings",
          summary: "The instance's settings: registration policy, locked period, currency",
          security,
          response: { 200: ref(S.Settings), ...errors },
        },
      },
      async () => presentSettings(await useCases.getSettings.execute()),
    );

    app.patch(
      "/settings",
      {
        schema: {
          tags: ["users"],
          operationId: "updateSettings",
          summary: "Set or lift the locked period (admins)",
          description:
            "While `lock_before` is set, members cannot create, edit, stop or delete an entry that starts " +
            "before it, nor move one there (409 PERIOD_LOCKED); admins can.",
          security,
          body: ref(S.SettingsChanges),
          response: { 200: ref(S.Settings), ...errors },
        },
      },
      async (request) =>
        presentSettings(await useCases.updateSettings.execute({ actor: caller(request), lockBefore: request.body.lock_before })),
    );

    app.get(
      "/tags",
      {
        schema: {
          tags: ["entries"],
          operationId: "listTags",
          summary: "Every tag, sorted by name (a tag is made by the first entry that uses it)",
          security,
          response: { 200: ref(S.TagList), ...errors },
        },
      },
      async () => ({ tags: (await useCases.listTags.execute()).map((tag) => ({ id: tag.id, name: tag.name })) }),
    );
  };
}

function presentSettings(settings: Settings): Static<typeof S.Settings> {
  return {
    registration: settings.registration,
    lock_before: settings.lockBefore === null ? null : formatInstant(settings.lockBefore),
    currency: settings.currency,
  };
}
