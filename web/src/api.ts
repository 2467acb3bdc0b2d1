/**
 * A thin typed client of the service's own API (see /openapi.json). The session is the httpOnly
 * cookie POST /login sets for this app; every call sends the header that marks it as the web app
 * (the service's CSRF check requires it on cookie-authenticated writes).
 */

import { sessionEnded } from "./lib/account";
import { importSearch, type ImportParams, type ImportReport } from "./lib/import";

export type Role = "owner" | "admin" | "member";

export interface Me {
  readonly user_id: number;
  readonly username: string;
  readonly created_at: string;
  readonly role: Role;
  /** Whether two-factor login is on (a set-up not yet confirmed is not). */
  readonly totp_enabled: boolean;
}

/** A user as GET /users lists them; `hourly_rate_cents` only in an admin's answer. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly active: boolean;
  readonly hourly_rate_cents?: number | null;
}

export type UserChange = Partial<{ role: Role; active: boolean; hourly_rate_cents: number | null }>;

export interface TeamMember {
  readonly username: string;
  readonly lead: boolean;
}

export interface Team {
  readonly id: number;
  readonly name: string;
  readonly members: readonly TeamMember[];
}

/** An invitation; `code` only in the answer that created it. */
export interface Invitation {
  readonly id: number;
  readonly code?: string;
  readonly role: Role;
  readonly created_at: string;
  readonly expires_at: string;
}

export interface Category {
  readonly id: number;
  readonly name: string;
}

export interface Client {
  readonly id: number;
  readonly name: string;
  readonly archived: boolean;
}

/** A project; `hourly_rate_cents` is null in the answers of anyone but an admin. */
export interface Project {
  readonly id: number;
  readonly name: string;
  readonly client_id: number | null;
  readonly client: string | null;
  /** "#rrggbb" or null. */
  readonly color: string | null;
  readonly billable: boolean;
  readonly hourly_rate_cents: number | null;
  /** True also when its client is archived. */
  readonly archived: boolean;
}

export type ProjectFields = {
  name: string;
  client_id: number | null;
  color: string | null;
  billable: boolean;
  hourly_rate_cents: number | null;
};

export type ProjectChange = Partial<ProjectFields & { archived: boolean }>;

export interface Tag {
  readonly id: number;
  readonly name: string;
}

export interface Settings {
  readonly registration: "open" | "invite" | "closed";
  /** RFC 3339 UTC; members cannot write entries that start before it. */
  readonly lock_before: string | null;
  readonly currency: string;
}

export interface Entry {
  readonly id: number;
  readonly username: string;
  readonly category: string;
  readonly category_id: number;
  readonly start_time: string;
  readonly end_time: string | null;
  readonly duration_seconds: number | null;
  readonly note: string | null;
  readonly project_id: number | null;
  readonly project: string | null;
  readonly client: string | null;
  readonly tags: readonly string[];
  readonly billable: boolean;
  readonly hourly_rate_cents: number | null;
  readonly amount_cents: number | null;
}

export type GroupBy = "category" | "project" | "client" | "tag" | "user" | "day" | "week" | "month";

export interface SummaryGroup {
  /** null for the entries without a project, client or tag. */
  readonly key: string | null;
  readonly seconds: number;
  readonly entries: number;
  readonly billable_seconds: number;
  readonly amount_cents: number;
}

export interface Summary {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly group_by: GroupBy;
  readonly total_seconds: number;
  readonly billable_seconds: number;
  readonly amount_cents: number;
  readonly currency: string;
  readonly groups: readonly SummaryGroup[];
}

/** Whose time a report covers: the caller (nothing), a team (team_id) or everyone (all_users). */
export type Whose = { readonly team_id?: number; readonly all_users?: true };

/** How long the user means to spend on a category each day (60 to 86,400 seconds). */
export interface DailyTarget {
  readonly category_id: number;
  readonly seconds: number;
}

/** What an entry says beyond its category and times. */
export type EntryExtras = { project_id: number | null; tags: readonly string[]; billable: boolean };

export type NewEntry = {
  readonly category: string;
  readonly start_time: string;
  readonly end_time?: string;
  readonly note?: string;
} & Partial<Readonly<EntryExtras>>;

export type EntryChange = Partial<{ category: string; start_time: string; end_time: string; note: string } & EntryExtras>;

/** The filters of an entry list (and its CSV). */
export type EntryFilter = Partial<{ from: string; to: string; category: string; project_id: number; tag: string; billable: boolean }>;

/** One of the user's live login sessions (GET /me/sessions); `current` is the one this page uses. */
export interface Session {
  readonly id: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly current: boolean;
}

export type TokenScope = "read" | "write";

/** An API token for scripts (GET /tokens); its secret is only in the answer that created it. */
export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly scope: TokenScope;
  readonly created_at: string;
  /** null: never expires. */
  readonly expires_at: string | null;
  /** null: never used. */
  readonly last_used_at: string | null;
}

/** A webhook (GET /webhooks); its signing secret is only in the answer that created it. */
export interface Webhook {
  readonly id: number;
  readonly url: string;
  /** Event types, or ["*"] for every one. */
  readonly events: readonly string[];
  readonly description: string | null;
  readonly all_users: boolean;
  readonly active: boolean;
  readonly created_at: string;
}

export type NewWebhook = { url: string; events: readonly string[]; description?: string | null; all_users?: boolean };

export type WebhookChange = Partial<{ url: string; events: readonly string[]; active: boolean; description: string | null }>;

/** One event sent (or being sent) to a webhook, as its delivery log lists it. */
export interface WebhookDelivery {
  readonly event_id: string;
  readonly type: string;
  readonly status: "pending" | "delivered" | "failed";
  readonly attempts: number;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
}

/** An answer other than 2xx: the problem+json's code and detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

/** A refused import whose problem+json carries the report (422 BATCH_FAILED: an all-or-nothing file with a failing row). */
export class ImportRefused extends ApiError {
  constructor(
    status: number,
    code: string,
    detail: string,
    readonly report: ImportReport,
  ) {
    super(status, code, detail);
  }
}

export const WEB_CLIENT_HEADER = { "x-requested-with": "time-tracker-web" } as const;

/** Called when an answer says the session is gone (401), so the app can show the sign-in form. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { ...WEB_CLIENT_HEADER, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (data ?? {}) as { code?: string; detail?: string; title?: string };
    if (sessionEnded(response.status, problem.code, path)) onSignedOut();
    throw new ApiError(response.status, problem.code ?? "ERROR", problem.detail ?? problem.title ?? response.statusText);
  }
  return data as T;
}

/** POST /imports: the file's bytes as a text/csv body (a dry run stores nothing). */
async function importCsv(file: Blob, params: ImportParams, dryRun: boolean): Promise<ImportReport> {
  const response = await fetch(`/imports${importSearch(params, dryRun)}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { ...WEB_CLIENT_HEADER, accept: "application/json", "content-type": "text/csv" },
    body: file,
  });
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return data as ImportReport;
  const problem = (data ?? {}) as { code?: string; detail?: string; title?: string; rows?: number };
  if (response.status === 401) onSignedOut();
  const [code, detail] = [problem.code ?? "ERROR", problem.detail ?? problem.title ?? response.statusText];
  if (typeof problem.rows === "number") throw new ImportRefused(response.status, code, detail, data as ImportReport);
  throw new ApiError(response.status, code, detail);
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  /** Registers; an invitation code, when one is given, is sent as invite_code. */
  register: (username: string, password: string, inviteCode = "") =>
    call<{ user_id: number; username: string }>("POST", "/register", {
      username,
      password,
      ...(inviteCode.trim() === "" ? {} : { invite_code: inviteCode.trim() }),
    }),
  /** Logs in; `totpCode` (a current code or a recovery code) when the account has two-factor login on. */
  logIn: (username: string, password: string, totpCode = "") =>
    call<{ user_id: number; username: string; expires_at: string }>("POST", "/login", {
      username,
      password,
      ...(totpCode.trim() === "" ? {} : { totp_code: totpCode.trim() }),
    }),
  logOut: () => call<void>("POST", "/logout"),
  me: () => call<Me>("GET", "/me"),
  categories: async () => (await call<{ categories: Category[] }>("GET", "/category")).categories,
  createCategory: async (name: string) => (await call<{ category: Category }>("POST", "/category", { name })).category,
  /** Every entry of the user overlapping [from, to) (all pages), oldest first. */
  async entries(username: string, filter: EntryFilter = {}): Promise<Entry[]> {
    const all: Entry[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ entries: Entry[]; next_cursor: string | null }>(
        "GET",
        `/entries/${encodeURIComponent(username)}${query({ ...filter, limit: 1000, cursor })}`,
      );
      all.push(...page.entries);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  },
  /** The CSV download's address (the browser sends the session cookie with it). */
  csvUrl: (username: string, filter: EntryFilter) =>
    `/entries/${encodeURIComponent(username)}${query({ ...filter, format: "csv" })}`,
  createEntry: async (entry: NewEntry) => (await call<{ entry: Entry }>("POST", "/entry", entry)).entry,
  stopEntry: async (id: number) => (await call<{ entry: Entry }>("POST", `/entry/${id}/stop`, {})).entry,
  updateEntry: async (id: number, change: EntryChange) => (await call<{ entry: Entry }>("PATCH", `/entry/${id}`, change)).entry,
  deleteEntry: (id: number) => call<void>("DELETE", `/entry/${id}`),
  summary: (params: { from: string; to: string; group_by: GroupBy; tz: string } & Whose) =>
    call<Summary>("GET", `/reports/summary${query(params)}`),

  /** One page of users, by id; `next_cursor` asks for the next. */
  users: (cursor?: string) => call<{ users: User[]; next_cursor: string | null }>("GET", `/users${query({ limit: 100, cursor })}`),
  /** Every user (all pages), for pickers. */
  async allUsers(): Promise<User[]> {
    const all: User[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ users: User[]; next_cursor: string | null }>("GET", `/users${query({ limit: 1000, cursor })}`);
      all.push(...page.users);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  },
  updateUser: async (username: string, change: UserChange) =>
    (await call<{ user: User }>("PATCH", `/users/${encodeURIComponent(username)}`, change)).user,

  teams: async () => (await call<{ teams: Team[] }>("GET", "/teams")).teams,
  createTeam: async (name: string) => (await call<{ team: Team }>("POST", "/teams", { name })).team,
  renameTeam: async (id: number, name: string) => (await call<{ team: Team }>("PATCH", `/teams/${id}`, { name })).team,
  deleteTeam: (id: number) => call<void>("DELETE", `/teams/${id}`),
  setTeamMember: async (id: number, username: string, lead: boolean) =>
    (await call<{ team: Team }>("PUT", `/teams/${id}/members/${encodeURIComponent(username)}`, { lead })).team,
  removeTeamMember: (id: number, username: string) => call<void>("DELETE", `/teams/${id}/members/${encodeURIComponent(username)}`),

  invitations: async () => (await call<{ invitations: Invitation[] }>("GET", "/invitations")).invitations,
  createInvitation: async (role: "member" | "admin", expiresInHours: number) =>
    (await call<{ invitation: Invitation }>("POST", "/invitations", { role, expires_in_hours: expiresInHours })).invitation,
  deleteInvitation: (id: number) => call<void>("DELETE", `/invitations/${id}`),

  clients: async (includeArchived = false) =>
    (await call<{ clients: Client[] }>("GET", `/clients${query({ include_archived: includeArchived })}`)).clients,
  createClient: async (name: string) => (await call<{ client: Client }>("POST", "/clients", { name })).client,
  updateClient: async (id: number, change: Partial<{ name: string; archived: boolean }>) =>
    (await call<{ client: Client }>("PATCH", `/clients/${id}`, change)).client,

  /** Projects by name; of one client if `client_id`; archived ones only if asked. */
  projects: async (filter: { client_id?: number; include_archived?: boolean } = {}) =>
    (await call<{ projects: Project[] }>("GET", `/projects${query(filter)}`)).projects,
  createProject: async (fields: ProjectFields) => (await call<{ project: Project }>("POST", "/projects", fields)).project,
  updateProject: async (id: number, change: ProjectChange) => (await call<{ project: Project }>("PATCH", `/projects/${id}`, change)).project,

  tags: async () => (await call<{ tags: Tag[] }>("GET", "/tags")).tags,

  /** The user's daily targets (GET /me/preferences). */
  dailyTargets: async () => (await call<{ daily_targets: DailyTarget[] }>("GET", "/me/preferences")).daily_targets,
  /** Replaces every daily target of the user. */
  setDailyTargets: async (targets: readonly DailyTarget[]) =>
    (await call<{ daily_targets: DailyTarget[] }>("PATCH", "/me/preferences", { daily_targets: targets })).daily_targets,

  settings: () => call<Settings>("GET", "/settings"),
  /** Sets the locked period (an instant) or lifts it (null). */
  setLockBefore: (lockBefore: string | null) => call<Settings>("PATCH", "/settings", { lock_before: lockBefore }),
  /** The instance's currency for amounts (GET /settings, from CURRENCY). */
  currency: async () => (await call<Settings>("GET", "/settings")).currency,

  /** A new password; every other session of the user ends (API tokens stay). */
  changePassword: (currentPassword: string, newPassword: string) =>
    call<void>("POST", "/me/password", { current_password: currentPassword, new_password: newPassword }),
  /** The user's live sessions, newest first. */
  sessions: async () => (await call<{ sessions: Session[] }>("GET", "/me/sessions")).sessions,
  endSession: (id: string) => call<void>("DELETE", `/me/sessions/${encodeURIComponent(id)}`),
  /** The address of GET /me/export, everything the user owns as one JSON document (a download). */
  exportUrl: "/me/export",
  /** Deletes the account and everything of it; the session ends with it. */
  deleteAccount: (password: string) => call<void>("DELETE", "/me", { password }),
  /** Starts setting up two-factor login: a new secret, not on until confirmTotp. */
  startTotp: () => call<{ secret: string; otpauth_url: string }>("POST", "/me/totp"),
  /** Turns two-factor login on with a current code; the 10 recovery codes, this once. */
  confirmTotp: async (code: string) =>
    (await call<{ recovery_codes: string[] }>("POST", "/me/totp/confirm", { code: code.trim() })).recovery_codes,
  /** Turns two-factor login off with a current code or a recovery code. */
  disableTotp: (code: string) => call<void>("DELETE", "/me/totp", { code: code.trim() }),

  apiTokens: async () => (await call<{ tokens: ApiToken[] }>("GET", "/tokens")).tokens,
  /** A new token; `expiresInDays` null: it never expires. The secret is in this answer only. */
  createApiToken: (name: string, scope: TokenScope, expiresInDays: number | null) =>
    call<{ token: ApiToken; secret: string }>("POST", "/tokens", { name, scope, expires_in_days: expiresInDays }),
  deleteApiToken: (id: number) => call<void>("DELETE", `/tokens/${id}`),

  webhooks: async () => (await call<{ webhooks: Webhook[] }>("GET", "/webhooks")).webhooks,
  /** A new webhook; its signing secret is in this answer only. */
  createWebhook: (fields: NewWebhook) => call<{ webhook: Webhook; secret: string }>("POST", "/webhooks", fields),
  updateWebhook: async (id: number, change: WebhookChange) =>
    (await call<{ webhook: Webhook }>("PATCH", `/webhooks/${id}`, change)).webhook,
  deleteWebhook: (id: number) => call<void>("DELETE", `/webhooks/${id}`),
  /** Queues a webhook.ping event (its answer shows in the delivery log). */
  pingWebhook: (id: number) => call<void>("POST", `/webhooks/${id}/ping`),
  /** The webhook's latest deliveries (100), newest first. */
  webhookDeliveries: async (id: number) =>
    (await call<{ deliveries: WebhookDelivery[] }>("GET", `/webhooks/${id}/deliveries`)).deliveries,

  /** Imports a CSV file as the user's entries, or with `dryRun` says what it would do (POST /imports). */
  importCsv,

  /** Where single sign-on starts (GET /auth/oidc), or null when the instance has none. */
  singleSignOnUrl: async () => (await call<{ enabled: boolean; login_url: string | null }>("GET", "/auth/oidc")).login_url,
};

/** CURRENCY's default (API.md), shown until GET /settings answers. */
export const DEFAULT_CURRENCY = "EUR";

/** The message to show for a failed call. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
