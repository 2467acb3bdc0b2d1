import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * Every request and response shape, once. Each body and response shape has an `$id`, is registered
 * with `addSchema`, and is referenced by routes through `ref()`: the same schema validates the
 * request, types the handler, serialises (and strips) the response, and names the component in
 * /openapi.json. Path and query shapes have no `$id` and are used by routes as they are: OpenAPI
 * spells them out as each operation's parameters, so as components they would only be unused.
 */

/** A typed reference to a registered schema (TypeBox 0.34's Ref alone types as unknown). */
export function ref<T extends TSchema>(schema: T) {
  if (!schema.$id) throw new Error("ref() needs a schema with an $id");
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

const Instant = Type.String({
  maxLength: 64,
  description:
    "'YYYY-MM-DD HH:MM:SS' (UTC) or RFC 3339 with 'Z' or an offset, e.g. '2026-02-10 09:00:00' or '2026-02-10T09:00:00+01:00'",
});
/**
 * A response field that may be null, as OpenAPI 3.0 spells it (`nullable: true`). Response
 * schemas use this rather than a union: fast-json-stringify writes it directly, while for a union
 * it runs a validator on every value to choose the branch (a tenth of a 1,000-entry page's time).
 */
function nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

const InstantOut = Type.String({ description: "RFC 3339, UTC, whole seconds, e.g. 2026-02-10T08:00:00Z" });
const Cursor = nullable(
  Type.String({ description: "Opaque; pass it as `cursor` to get the next page. null on the last page." }),
);
const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 100 });

export const FieldError = Type.Object(
  { path: Type.String(), message: Type.String() },
  { $id: "FieldError", additionalProperties: false },
);

export const ProblemDetails = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(ref(FieldError))),
  },
  { $id: "ProblemDetails", description: "RFC 9457 problem details" },
);

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal("healthy"), Type.Literal("unhealthy")]),
    checks: Type.Object({ database: Type.Union([Type.Literal("up"), Type.Literal("down")]) }),
  },
  { $id: "Health" },
);

export const Credentials = Type.Object(
  {
    username: Type.String({ maxLength: 1000 }),
    password: Type.String({ maxLength: 4096 }),
  },
  { $id: "Credentials", additionalProperties: false },
);

export const NewAccount = Type.Object(
  {
    username: Type.String({ maxLength: 1000 }),
    password: Type.String({ maxLength: 4096 }),
    invite_code: Type.Optional(Type.String({ maxLength: 200, description: "An invitation code (POST /invitations)" })),
  },
  { $id: "NewAccount", additionalProperties: false },
);

export const Role = Type.Union([Type.Literal("owner"), Type.Literal("admin"), Type.Literal("member")], { $id: "Role" });

const RateCents = Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()], {
  description: "An hourly rate in integer cents, or null for none",
});

export const Registration = Type.Object(
  {
    message: Type.String(),
    user_id: Type.Integer(),
    username: Type.String(),
    created_at: InstantOut,
  },
  { $id: "Registration" },
);

export const LoginResult = Type.Object(
  {
    message: Type.String(),
    authenticated: Type.Boolean(),
    user_id: Type.Integer(),
    username: Type.String(),
    token: Type.String(),
    token_type: Type.Literal("Bearer"),
    expires_at: InstantOut,
  },
  { $id: "LoginResult" },
);

export const Me = Type.Object(
  { user_id: Type.Integer(), username: Type.String(), created_at: InstantOut, role: ref(Role) },
  { $id: "Me" },
);

export const UserSummary = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    role: ref(Role),
    active: Type.Boolean(),
    hourly_rate_cents: Type.Optional({ ...RateCents, description: "Shown to admins only" }),
  },
  { $id: "UserSummary" },
);

export const UserChanges = Type.Object(
  {
    role: Type.Optional(ref(Role)),
    active: Type.Optional(Type.Boolean()),
    hourly_rate_cents: Type.Optional(RateCents),
  },
  { $id: "UserChanges", additionalProperties: false, minProperties: 1 },
);

export const UserEnvelope = Type.Object({ user: ref(UserSummary) }, { $id: "UserEnvelope" });

export const NewInvitation = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal("member"), Type.Literal("admin")])),
    expires_in_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
  },
  { $id: "NewInvitation", additionalProperties: false },
);

export const Invitation = Type.Object(
  {
    id: Type.Integer(),
    code: Type.Optional(Type.String({ description: "Shown once, in the answer to POST /invitations" })),
    role: ref(Role),
    created_at: InstantOut,
    expires_at: InstantOut,
  },
  { $id: "Invitation" },
);

export const NewTeam = Type.Object(
  { name: Type.String({ maxLength: 1000, description: "1-100 characters after trimming" }) },
  { $id: "NewTeam", additionalProperties: false },
);

export const TeamMember = Type.Object({ username: Type.String(), lead: Type.Boolean() }, { $id: "TeamMember" });

export const Team = Type.Object(
  { id: Type.Integer(), name: Type.String(), members: Type.Array(ref(TeamMember)) },
  { $id: "Team" },
);

export const TeamEnvelope = Type.Object({ team: ref(Team) }, { $id: "TeamEnvelope" });
export const TeamList = Type.Object({ teams: Type.Array(ref(Team)) }, { $id: "TeamList" });

export const Membership = Type.Object(
  { lead: Type.Optional(Type.Boolean({ default: false })) },
  { $id: "Membership", additionalProperties: false },
);

export const TeamMemberParams = Type.Object({ id: Type.String({ maxLength: 40 }), username: Type.String({ maxLength: 1000 }) });

export const InvitationEnvelope = Type.Object({ invitation: ref(Invitation) }, { $id: "InvitationEnvelope" });
export const InvitationList = Type.Object({ invitations: Type.Array(ref(Invitation)) }, { $id: "InvitationList" });

export const UserList = Type.Object(
  { users: Type.Array(ref(UserSummary)), next_cursor: Cursor },
  { $id: "UserList" },
);

export const PageQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const NewCategory = Type.Object(
  { name: Type.String({ maxLength: 1000 }) },
  { $id: "NewCategory", additionalProperties: false },
);

export const Category = Type.Object({ id: Type.Integer(), name: Type.String() }, { $id: "Category" });

export const CategoryCreation = Type.Object(
  { message: Type.String(), category: ref(Category) },
  { $id: "CategoryCreation" },
);

export const CategoryList = Type.Object({ categories: Type.Array(ref(Category)) }, { $id: "CategoryList" });

const Note = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);

export const NewTimeEntry = Type.Object(
  {
    username: Type.Optional(Type.String({ maxLength: 1000, description: "If given, must be the caller" })),
    category: Type.String({ maxLength: 1000, description: "The category's name" }),
    start_time: Instant,
    end_time: Type.Optional(Type.Union([Instant, Type.Null()], { description: "Absent or null: start a timer" })),
    note: Type.Optional(Note),
  },
  { $id: "NewTimeEntry", additionalProperties: false },
);

export const TimeEntryChanges = Type.Object(
  {
    category: Type.Optional(Type.String({ maxLength: 1000 })),
    start_time: Type.Optional(Instant),
    end_time: Type.Optional(Instant),
    note: Type.Optional(Note),
  },
  { $id: "TimeEntryChanges", additionalProperties: false },
);

export const StopTimer = Type.Object(
  { end_time: Type.Optional(Instant) },
  { $id: "StopTimer", additionalProperties: false },
);

export const TimeEntry = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    category: Type.String(),
    category_id: Type.Integer(),
    start_time: InstantOut,
    end_time: nullable(Type.String({ description: "RFC 3339, UTC; null while a timer runs" })),
    duration_seconds: nullable(Type.Integer({ description: "null while a timer runs" })),
    note: nullable(Type.String()),
  },
  { $id: "TimeEntry" },
);

export const TimeEntryCreation = Type.Object(
  { message: Type.String(), entry: ref(TimeEntry) },
  { $id: "TimeEntryCreation" },
);

export const TimeEntryEnvelope = Type.Object({ entry: ref(TimeEntry) }, { $id: "TimeEntryEnvelope" });

export const EntryListQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    category: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("csv")])),
  },
  { additionalProperties: false },
);

export const EntryList = Type.Object(
  { username: Type.String(), entries: Type.Array(ref(TimeEntry)), next_cursor: Cursor },
  { $id: "EntryList" },
);

export const SummaryQuery = Type.Object(
  {
    from: Instant,
    to: Instant,
    group_by: Type.Optional(
      Type.Union([Type.Literal("category"), Type.Literal("day"), Type.Literal("week"), Type.Literal("month")]),
    ),
    tz: Type.Optional(Type.String({ maxLength: 64, description: "IANA time zone, default UTC" })),
  },
  { additionalProperties: false },
);

export const SummaryGroup = Type.Object(
  { key: Type.String(), seconds: Type.Integer(), entries: Type.Integer() },
  { $id: "SummaryGroup" },
);

export const Summary = Type.Object(
  {
    from: InstantOut,
    to: InstantOut,
    tz: Type.String(),
    group_by: Type.String(),
    total_seconds: Type.Integer(),
    groups: Type.Array(ref(SummaryGroup)),
  },
  { $id: "Summary" },
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 1000 }) });

/** Registered in this order (a schema before those that reference it); path and query shapes are not. */
export const allSchemas = [
  FieldError,
  ProblemDetails,
  Health,
  Credentials,
  NewAccount,
  Role,
  Registration,
  LoginResult,
  Me,
  UserSummary,
  UserList,
  UserChanges,
  UserEnvelope,
  NewInvitation,
  Invitation,
  InvitationEnvelope,
  InvitationList,
  NewTeam,
  TeamMember,
  Team,
  TeamEnvelope,
  TeamList,
  Membership,
  NewCategory,
  Category,
  CategoryCreation,
  CategoryList,
  NewTimeEntry,
  TimeEntryChanges,
  StopTimer,
  TimeEntry,
  TimeEntryCreation,
  TimeEntryEnvelope,
  EntryList,
  SummaryGroup,
  Summary,
];

/** Every 4xx and 5xx: RFC 9457 problem details, under their own media type. */
export const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: ref(ProblemDetails) } },
};
