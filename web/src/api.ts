/**
 * A thin typed client of the service's own API (see /openapi.json). The session is the httpOnly
 * cookie POST /login sets for this app; every call sends the header that marks it as the web app
 * (the service's CSRF check requires it on cookie-authenticated writes).
 */

export type Role = "owner" | "admin" | "member";

export interface Me {
  readonly user_id: number;
  readonly username: string;
  readonly created_at: string;
  readonly role: Role;
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

export interface Entry {
  readonly id: number;
  readonly username: string;
  readonly category: string;
  readonly category_id: number;
  readonly start_time: string;
  readonly end_time: string | null;
  readonly duration_seconds: number | null;
  readonly note: string | null;
}

export type GroupBy = "category" | "day" | "week" | "month";

export interface Summary {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly group_by: GroupBy;
  readonly total_seconds: number;
  readonly groups: readonly { readonly key: string; readonly seconds: number; readonly entries: number }[];
}

export interface NewEntry {
  readonly category: string;
  readonly start_time: string;
  readonly end_time?: string;
  readonly note?: string;
}

export type EntryChange = Partial<{ category: string; start_time: string; end_time: string; note: string }>;

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
    if (response.status === 401 && path !== "/login") onSignedOut();
    throw new ApiError(response.status, problem.code ?? "ERROR", problem.detail ?? problem.title ?? response.statusText);
  }
  return data as T;
}

function query(params: Record<string, string | number | undefined>): string {
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
  logIn: (username: string, password: string) =>
    call<{ user_id: number; username: string; expires_at: string }>("POST", "/login", { username, password }),
  logOut: () => call<void>("POST", "/logout"),
  me: () => call<Me>("GET", "/me"),
  categories: async () => (await call<{ categories: Category[] }>("GET", "/category")).categories,
  createCategory: async (name: string) => (await call<{ category: Category }>("POST", "/category", { name })).category,
  /** Every entry of the user overlapping [from, to) (all pages), oldest first. */
  async entries(username: string, filter: { from?: string; to?: string; category?: string } = {}): Promise<Entry[]> {
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
  csvUrl: (username: string, filter: { from?: string; to?: string; category?: string }) =>
    `/entries/${encodeURIComponent(username)}${query({ ...filter, format: "csv" })}`,
  createEntry: async (entry: NewEntry) => (await call<{ entry: Entry }>("POST", "/entry", entry)).entry,
  stopEntry: async (id: number) => (await call<{ entry: Entry }>("POST", `/entry/${id}/stop`, {})).entry,
  updateEntry: async (id: number, change: EntryChange) => (await call<{ entry: Entry }>("PATCH", `/entry/${id}`, change)).entry,
  deleteEntry: (id: number) => call<void>("DELETE", `/entry/${id}`),
  summary: (params: { from: string; to: string; group_by: GroupBy; tz: string }) =>
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

  /** The instance's currency for amounts (GET /settings, from CURRENCY). */
  currency: async () => (await call<{ currency: string }>("GET", "/settings")).currency,

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
