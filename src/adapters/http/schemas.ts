import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { MAX_ID } from "../../domain/id.js";

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
    totp_code: Type.Optional(
      Type.String({ maxLength: 100, description: "With two-factor login on: a current TOTP code or an unused recovery code" }),
    ),
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
    access_token: Type.String({ description: "The same token, where the seed's later web app reads it" }),
    token_type: Type.Literal("Bearer"),
    expires_at: InstantOut,
  },
  { $id: "LoginResult" },
);

export const Me = Type.Object(
  {
    user_id: Type.Integer(),
    username: Type.String(),
    created_at: InstantOut,
    role: ref(Role),
    totp_enabled: Type.Boolean({ description: "Whether two-factor login is on (a set-up not yet confirmed is not)" }),
  },
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

/** Ids are positive and fit the stores' INT UNSIGNED columns. */
const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/** Lists leave archived things out unless asked: `include_archived=true`. */
const IncludeArchived = Type.Optional(
  Type.Union([Type.Literal("true"), Type.Literal("false")], { default: "false", description: "Include archived ones too" }),
);

const CatalogName = Type.String({ maxLength: 1000, description: "1-100 characters after trimming" });

export const NewClient = Type.Object({ name: CatalogName }, { $id: "NewClient", additionalProperties: false });

export const ClientChanges = Type.Object(
  { name: Type.Optional(CatalogName), archived: Type.Optional(Type.Boolean()) },
  { $id: "ClientChanges", additionalProperties: false, minProperties: 1 },
);

export const Client = Type.Object(
  { id: Type.Integer(), name: Type.String(), archived: Type.Boolean() },
  { $id: "Client" },
);

export const ClientEnvelope = Type.Object({ client: ref(Client) }, { $id: "ClientEnvelope" });
export const ClientList = Type.Object({ clients: Type.Array(ref(Client)) }, { $id: "ClientList" });

export const ClientListQuery = Type.Object({ include_archived: IncludeArchived }, { additionalProperties: false });

/** What a new project may say and a change may change; each left out keeps its default or its value. */
const ProjectFields = {
  client_id: Type.Optional(Type.Union([Id, Type.Null()], { description: "The client's id, or null for none" })),
  color: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: "#rrggbb" }), Type.Null()])),
  billable: Type.Optional(Type.Boolean({ description: "What a new entry on the project defaults to (default true)" })),
  hourly_rate_cents: Type.Optional(RateCents),
};

export const NewProject = Type.Object(
  { name: CatalogName, ...ProjectFields },
  { $id: "NewProject", additionalProperties: false },
);

export const ProjectChanges = Type.Object(
  { name: Type.Optional(CatalogName), ...ProjectFields, archived: Type.Optional(Type.Boolean()) },
  { $id: "ProjectChanges", additionalProperties: false, minProperties: 1 },
);

export const Project = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    client_id: nullable(Type.Integer({ description: "null without a client" })),
    client: nullable(Type.String({ description: "The client's name; null without a client" })),
    color: nullable(Type.String({ description: "#rrggbb in lower case, or null" })),
    billable: Type.Boolean({ description: "What a new entry on the project defaults to" }),
    hourly_rate_cents: nullable(
      Type.Integer({
        description:
          "The rate new entries on the project take, in integer cents per hour; null when it has none. " +
          "Rates are business data: only admins see them, and for everyone else this is always null.",
      }),
    ),
    archived: Type.Boolean({ description: "True when the project or its client is archived" }),
  },
  { $id: "Project" },
);

export const ProjectEnvelope = Type.Object({ project: ref(Project) }, { $id: "ProjectEnvelope" });
export const ProjectList = Type.Object({ projects: Type.Array(ref(Project)) }, { $id: "ProjectList" });

export const ProjectListQuery = Type.Object(
  {
    client_id: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,9}$", description: "Only this client's projects" })),
    include_archived: IncludeArchived,
  },
  { additionalProperties: false },
);

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

/** Bodies name a project by id; any integer is accepted here, and one that is no project is 404. */
const ProjectChoice = Type.Union([Type.Integer(), Type.Null()], {
  description: "A project's id; null for none. An unknown one is 404 PROJECT_NOT_FOUND, an archived one 422 PROJECT_ARCHIVED",
});
const TagNames = Type.Array(Type.String({ maxLength: 1000 }), {
  maxItems: 100,
  description: "Tag names (0-20 different ones, each 1-50 characters after trimming); replaces the entry's tags. A new name creates the tag",
});
const Billable = Type.Boolean({ description: "Left out: the project's default (false without a project)" });

export const NewTimeEntry = Type.Object(
  {
    username: Type.Optional(Type.String({ maxLength: 1000, description: "If given, must be the caller" })),
    category: Type.String({ maxLength: 1000, description: "The category's name" }),
    start_time: Instant,
    end_time: Type.Optional(Type.Union([Instant, Type.Null()], { description: "Absent or null: start a timer" })),
    note: Type.Optional(Note),
    project_id: Type.Optional(ProjectChoice),
    tags: Type.Optional(TagNames),
    billable: Type.Optional(Billable),
  },
  { $id: "NewTimeEntry", additionalProperties: false },
);

export const TimeEntryChanges = Type.Object(
  {
    category: Type.Optional(Type.String({ maxLength: 1000 })),
    start_time: Type.Optional(Instant),
    end_time: Type.Optional(Instant),
    note: Type.Optional(Note),
    project_id: Type.Optional(ProjectChoice),
    tags: Type.Optional(TagNames),
    billable: Type.Optional(Type.Boolean({ description: "Left out: kept, or the new project's default when the project changes" })),
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
    project_id: nullable(Type.Integer()),
    project: nullable(Type.String({ description: "The project's name" })),
    client: nullable(Type.String({ description: "The name of the project's client" })),
    tags: Type.Array(Type.String(), { description: "Tag names, sorted case-insensitively" }),
    billable: Type.Boolean(),
    hourly_rate_cents: nullable(
      Type.Integer({ description: "Fixed when the entry was written or its project changed: project's rate, else the user's" }),
    ),
    amount_cents: nullable(
      Type.Integer({ description: "round(duration_seconds × hourly_rate_cents / 3600), half up, for a finished billable entry with a rate" }),
    ),
  },
  { $id: "TimeEntry" },
);

export const TimeEntryCreation = Type.Object(
  { message: Type.String(), entry: ref(TimeEntry) },
  { $id: "TimeEntryCreation" },
);

export const TimeEntryEnvelope = Type.Object({ entry: ref(TimeEntry) }, { $id: "TimeEntryEnvelope" });

/** The filters lists, exports and reports share. */
const EntryFilters = {
  category: Type.Optional(Type.String({ maxLength: 1000 })),
  project_id: Type.Optional(Id),
  client_id: Type.Optional({ ...Id, description: "Entries on a project of this client" }),
  tag: Type.Optional(Type.String({ maxLength: 1000, description: "A tag's name: entries having it" })),
  billable: Type.Optional(Type.Boolean()),
};

export const EntryListQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...EntryFilters,
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
      Type.Union(
        ["category", "project", "client", "tag", "user", "day", "week", "month"].map((grouping) => Type.Literal(grouping)),
      ),
    ),
    tz: Type.Optional(Type.String({ maxLength: 64, description: "IANA time zone, default UTC" })),
    user: Type.Optional(Type.String({ maxLength: 1000, description: "Someone whose time you may see" })),
    team_id: Type.Optional({ ...Id, description: "Every member of a team you lead (admins: any team)" }),
    all_users: Type.Optional(Type.Boolean({ description: "Everyone (admins)" })),
    ...EntryFilters,
  },
  { additionalProperties: false },
);

export const SummaryGroup = Type.Object(
  {
    key: nullable(Type.String({ description: "null for the entries without a project, client or tag (listed last)" })),
    seconds: Type.Integer(),
    entries: Type.Integer(),
    billable_seconds: Type.Integer(),
    amount_cents: Type.Integer(),
  },
  { $id: "SummaryGroup" },
);

export const Summary = Type.Object(
  {
    from: InstantOut,
    to: InstantOut,
    tz: Type.String(),
    group_by: Type.String(),
    total_seconds: Type.Integer(),
    billable_seconds: Type.Integer(),
    amount_cents: Type.Integer(),
    currency: Type.String({ description: "ISO 4217 code of the amounts (CURRENCY)" }),
    groups: Type.Array(ref(SummaryGroup)),
  },
  { $id: "Summary" },
);

export const Settings = Type.Object(
  {
    registration: Type.Union([Type.Literal("open"), Type.Literal("invite"), Type.Literal("closed")]),
    lock_before: nullable(Type.String({ description: "RFC 3339, UTC: members cannot write entries starting before it" })),
    currency: Type.String(),
  },
  { $id: "Settings" },
);

export const SettingsChanges = Type.Object(
  { lock_before: Type.Union([Instant, Type.Null()], { description: "null lifts the lock" }) },
  { $id: "SettingsChanges", additionalProperties: false },
);

const DailyTarget = Type.Object(
  {
    category_id: Id,
    seconds: Type.Integer({ minimum: 60, maximum: 86_400, description: "How long you mean to spend on it each day" }),
  },
  { additionalProperties: false },
);

export const Preferences = Type.Object(
  { daily_targets: Type.Array(DailyTarget, { description: "Sorted by category id" }) },
  { $id: "Preferences" },
);

export const PreferenceChanges = Type.Object(
  { daily_targets: Type.Array(DailyTarget, { maxItems: 200, description: "Replaces every target; one per category" }) },
  { $id: "PreferenceChanges", additionalProperties: false },
);

export const Tag = Type.Object({ id: Type.Integer(), name: Type.String() }, { $id: "Tag" });
export const TagList = Type.Object({ tags: Type.Array(ref(Tag)) }, { $id: "TagList" });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 1000 }) });

export const SingleSignOnStatus = Type.Object(
  {
    enabled: Type.Boolean({ description: "Whether single sign-on (OpenID Connect) is configured on this instance" }),
    login_url: nullable(Type.String({ description: "Where to send the browser to sign in with it (GET); null when it is off" })),
  },
  { $id: "SingleSignOnStatus" },
);

export const SingleSignOnStart = Type.Object(
  { authorization_url: Type.String({ description: "The provider's authorization URL to send the browser to" }) },
  { $id: "SingleSignOnStart" },
);

export const SingleSignOnDone = Type.Object(
  {
    message: Type.String(),
    user_id: Type.Integer(),
    username: Type.String(),
    linked: Type.Boolean({ description: "true: the provider's account was linked to the signed-in user (no new session)" }),
    expires_at: nullable(Type.String({ description: "When the new session ends (RFC 3339, UTC); null for a link" })),
  },
  { $id: "SingleSignOnDone" },
);

export const SingleSignOnLoginQuery = Type.Object(
  {
    link: Type.Optional(
      Type.Boolean({
        default: false,
        description: "true: link the provider's account to the account signed in with the web app's session cookie, instead of signing in",
      }),
    ),
  },
  { additionalProperties: false },
);

const CallbackValue = Type.String({ maxLength: 4096 });

/**
 * The provider's authorization response. OAuth 2.0 (RFC 6749, 4.1.2) says a client ignores
 * response parameters it does not know, and providers add their own (Google: scope, authuser,
 * prompt, hd; Keycloak: session_state): those are allowed, as strings of bounded length.
 */
export const SingleSignOnCallbackQuery = Type.Object(
  {
    code: Type.Optional(CallbackValue),
    state: Type.Optional(CallbackValue),
    iss: Type.Optional(CallbackValue),
    error: Type.Optional(CallbackValue),
    error_description: Type.Optional(CallbackValue),
  },
  { additionalProperties: CallbackValue, maxProperties: 20 },
);

export const NewApiToken = Type.Object(
  {
    name: Type.String({ maxLength: 1000, description: "1-100 characters after trimming" }),
    scope: Type.Union([Type.Literal("read"), Type.Literal("write")], {
      description: "read: GET and HEAD only; write: whatever its user may do (never managing credentials)",
    }),
    expires_in_days: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], { description: "Left out: 90 days; null: never" }),
    ),
  },
  { $id: "NewApiToken", additionalProperties: false },
);

export const ApiToken = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    scope: Type.Union([Type.Literal("read"), Type.Literal("write")]),
    created_at: InstantOut,
    expires_at: nullable(Type.String({ description: "RFC 3339, UTC; null: never expires" })),
    last_used_at: nullable(Type.String({ description: "RFC 3339, UTC, to the minute; null: never used" })),
  },
  { $id: "ApiToken" },
);

export const ApiTokenCreation = Type.Object(
  {
    token: ref(ApiToken),
    secret: Type.String({ description: "tt_ + 256 random bits (base64url). Shown here only: the service keeps its hash" }),
  },
  { $id: "ApiTokenCreation" },
);

export const ApiTokenList = Type.Object({ tokens: Type.Array(ref(ApiToken)) }, { $id: "ApiTokenList" });

/*
 * The seed app's compatibility routes (deprecated): the shapes the seed author's later web app
 * sends and reads. Its errors carry `error` (the detail) beside the problem details.
 */
export const SeedAppProblem = Type.Object(
  { ...ProblemDetails.properties, error: Type.String({ description: "The detail again, where the seed app reads it" }) },
  { $id: "SeedAppProblem", description: "RFC 9457 problem details, with the seed app's `error` member" },
);

export const SeedAppCaller = Type.Object({ message: Type.String(), user: Type.String({ description: "The username" }) }, { $id: "SeedAppCaller" });

export const SeedAppEntry = Type.Object(
  {
    id: Type.Integer(),
    category: Type.String(),
    start_time: InstantOut,
    end_time: nullable(Type.String({ description: "RFC 3339, UTC; null while a timer runs" })),
    duration_seconds: nullable(Type.Integer()),
  },
  { $id: "SeedAppEntry" },
);

export const SeedAppEntryList = Type.Object(
  { username: Type.String(), entries: Type.Array(ref(SeedAppEntry), { description: "Every entry of yours, oldest first" }) },
  { $id: "SeedAppEntryList" },
);

const SeedAppTimes = {
  category: Type.String({ maxLength: 1000, description: "The category's name" }),
  start_time: Instant,
  end_time: Instant,
};

export const SeedAppNewEntry = Type.Object(
  { username: Type.Optional(Type.String({ maxLength: 1000, description: "If given, must be the caller" })), ...SeedAppTimes },
  { $id: "SeedAppNewEntry", additionalProperties: false },
);

export const SeedAppEntryChanges = Type.Object(SeedAppTimes, { $id: "SeedAppEntryChanges", additionalProperties: false });

export const SeedAppUpdate = Type.Object({ message: Type.String(), id: Type.Integer() }, { $id: "SeedAppUpdate" });

export const SeedAppDeletion = Type.Object(
  { entry_id: Type.Integer({ description: "One of your entries; anything else is 404 ENTRY_NOT_FOUND" }) },
  { $id: "SeedAppDeletion", additionalProperties: false },
);

export const SeedAppMessage = Type.Object({ message: Type.String() }, { $id: "SeedAppMessage" });

export const SeedAppBatch = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          ...SeedAppTimes,
          id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Integer()], { description: "Ignored (the app's own row id)" })),
          duration_seconds: Type.Optional(Type.Number({ description: "Ignored: the times decide" })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { $id: "SeedAppBatch", additionalProperties: false },
);

export const SeedAppBatchResult = Type.Object(
  {
    success: Type.Integer({ description: "Entries stored" }),
    failed: Type.Integer(),
    errors: Type.Array(Type.Object({ index: Type.Integer({ description: "From 0, in the order sent" }), error: Type.String() })),
  },
  { $id: "SeedAppBatchResult" },
);

export const PasswordChange = Type.Object(
  {
    current_password: Type.String({ maxLength: 4096 }),
    new_password: Type.String({ maxLength: 4096, description: "8-256 characters, as at registration" }),
  },
  { $id: "PasswordChange", additionalProperties: false },
);

export const SessionInfo = Type.Object(
  {
    id: Type.String({ description: "A public id of the session: never its token" }),
    created_at: InstantOut,
    expires_at: InstantOut,
    current: Type.Boolean({ description: "Whether this request was made with it" }),
  },
  { $id: "SessionInfo" },
);

export const SessionList = Type.Object(
  { sessions: Type.Array(ref(SessionInfo), { description: "Live sessions, newest first" }) },
  { $id: "SessionList" },
);

export const SessionParams = Type.Object({ id: Type.String({ maxLength: 200 }) });

export const AccountDeletion = Type.Object(
  { password: Type.String({ maxLength: 4096 }) },
  { $id: "AccountDeletion", additionalProperties: false },
);

export const TotpSetup = Type.Object(
  {
    secret: Type.String({ description: "Base32; type it into an authenticator app, or read otpauth_url as a QR code" }),
    otpauth_url: Type.String({ description: "otpauth://totp/… (SHA-1, 6 digits, 30 s)" }),
  },
  { $id: "TotpSetup" },
);

export const TotpCode = Type.Object(
  { code: Type.String({ maxLength: 100, description: "A current 6-digit code (or, to turn TOTP off, an unused recovery code)" }) },
  { $id: "TotpCode", additionalProperties: false },
);

export const RecoveryCodes = Type.Object(
  {
    recovery_codes: Type.Array(Type.String(), {
      description: "10 codes, shown once; each logs in once in place of a TOTP code",
    }),
  },
  { $id: "RecoveryCodes" },
);

export const AccountExport = Type.Object(
  {
    exported_at: InstantOut,
    profile: Type.Object({
      user_id: Type.Integer(),
      username: Type.String(),
      created_at: InstantOut,
      role: ref(Role),
      active: Type.Boolean(),
      hourly_rate_cents: Type.Union([Type.Integer(), Type.Null()]),
    }),
    preferences: ref(Preferences),
    api_tokens: Type.Array(ref(ApiToken), { description: "Your API tokens, as GET /tokens lists them (no secrets)" }),
    webhooks: Type.Array(Type.Unsafe(Type.Ref("Webhook")), { description: "Your webhooks, as GET /webhooks lists them (no secrets)" }),
    entries: Type.Array(ref(TimeEntry), { description: "Every entry, oldest first" }),
  },
  {
    $id: "AccountExport",
    additionalProperties: true,
    description: "Everything the user owns, one member per kind; features may add members (never secrets)",
  },
);

export const EntryBatch = Type.Object(
  {
    entries: Type.Array(ref(NewTimeEntry), { maxItems: 500, description: "Up to 500 bodies of POST /entry, stored in order" }),
    atomic: Type.Optional(Type.Boolean({ description: "true: all or nothing (any failure → 422 BATCH_FAILED, nothing stored). Default false" })),
  },
  { $id: "EntryBatch", additionalProperties: false },
);

export const BatchItemResult = Type.Object(
  {
    status: Type.Integer({ description: "201 for a stored entry, else the status POST /entry would have answered" }),
    entry: Type.Optional(ref(TimeEntry)),
    problem: Type.Optional(ref(ProblemDetails)),
  },
  { $id: "BatchItemResult" },
);

export const BatchResults = Type.Object(
  { results: Type.Array(ref(BatchItemResult), { description: "One per item, in order" }) },
  { $id: "BatchResults" },
);

export const BatchFailure = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    results: Type.Array(ref(BatchItemResult), { description: "What each item would have been; nothing was stored" }),
  },
  { $id: "BatchFailure", description: "RFC 9457 problem details of an atomic batch that failed, with every item's result" },
);

const RowMessage = Type.Object({ row: Type.Integer({ description: "The header is row 1" }), message: Type.String() });

const ImportReportFields = {
  format: Type.String({ description: "The format read (detected by its header row with format=auto)" }),
  dry_run: Type.Boolean(),
  rows: Type.Integer({ description: "Records after the header" }),
  created: Type.Integer(),
  duplicates: Type.Integer({ description: "Rows skipped: same start, end and category as one of your entries" }),
  failed: Type.Integer(),
  errors: Type.Array(RowMessage, { description: "Why rows failed (the first 1000)" }),
  warnings: Type.Array(RowMessage, { description: "What was imported differently from the file (the first 1000)" }),
  created_categories: Type.Array(Type.String()),
  created_projects: Type.Array(Type.String()),
  created_tags: Type.Array(Type.String()),
};

export const ImportReport = Type.Object(ImportReportFields, { $id: "ImportReport" });

export const ImportFailure = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    ...ImportReportFields,
  },
  { $id: "ImportFailure", description: "RFC 9457 problem details of an atomic import that failed, with its report; nothing was stored" },
);

export const ImportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union(
        [
          Type.Literal("auto"),
          Type.Literal("time-tracker"),
          Type.Literal("toggl"),
          Type.Literal("clockify"),
          Type.Literal("seed-app"),
        ],
        { description: "Default auto: detected by the header row" },
      ),
    ),
    tz: Type.Optional(Type.String({ maxLength: 64, description: "IANA time zone of the file's local times, default UTC" })),
    category: Type.Optional(Type.String({ maxLength: 1000, description: "Category of Toggl and Clockify rows (default Imported)" })),
    dry_run: Type.Optional(Type.Boolean({ description: "true: answer the same numbers, store nothing" })),
    atomic: Type.Optional(Type.Boolean({ description: "true: all or nothing (a failed row → 422 BATCH_FAILED)" })),
  },
  { additionalProperties: false },
);

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
  NewClient,
  ClientChanges,
  Client,
  ClientEnvelope,
  ClientList,
  NewProject,
  ProjectChanges,
  Project,
  ProjectEnvelope,
  ProjectList,
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
  Settings,
  SettingsChanges,
  Tag,
  TagList,
  Preferences,
  PreferenceChanges,
  SingleSignOnStatus,
  SingleSignOnStart,
  SingleSignOnDone,
  NewApiToken,
  ApiToken,
  ApiTokenCreation,
  ApiTokenList,
  SeedAppProblem,
  SeedAppCaller,
  SeedAppEntry,
  SeedAppEntryList,
  SeedAppNewEntry,
  SeedAppEntryChanges,
  SeedAppUpdate,
  SeedAppDeletion,
  SeedAppMessage,
  SeedAppBatch,
  SeedAppBatchResult,
  PasswordChange,
  SessionInfo,
  SessionList,
  AccountDeletion,
  TotpSetup,
  TotpCode,
  RecoveryCodes,
  AccountExport,
  EntryBatch,
  BatchItemResult,
  BatchResults,
  BatchFailure,
  ImportReport,
  ImportFailure,
];

/** Every 4xx and 5xx: RFC 9457 problem details, under their own media type. */
export const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: ref(ProblemDetails) } },
};
