import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { TestApp } from "./http.js";
import { uniqueName } from "./names.js";

/** RFC 3339 in UTC, whole seconds: what every time in a response looks like. */
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface FieldErrorBody {
  readonly path: string;
  readonly message: string;
}

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: readonly FieldErrorBody[];
}

export interface EntryBody {
  readonly id: number;
  readonly username: string;
  readonly category: string;
  readonly category_id: number;
  readonly start_time: string;
  readonly end_time: string | null;
  readonly duration_seconds: number | null;
  readonly note: string | null;
}

export interface EntryListBody {
  readonly username: string;
  readonly entries: EntryBody[];
  readonly next_cursor: string | null;
}

export interface CategoryBody {
  readonly id: number;
  readonly name: string;
}

export interface UserListBody {
  readonly users: { readonly id: number; readonly username: string }[];
  readonly next_cursor: string | null;
}

export const ENTRY_KEYS = [
  "amount_cents",
  "billable",
  "category",
  "category_id",
  "client",
  "duration_seconds",
  "end_time",
  "hourly_rate_cents",
  "id",
  "note",
  "project",
  "project_id",
  "start_time",
  "tags",
  "username",
] as const;

/**
 * The response is an RFC 9457 problem with this status and code: problem+json, the four members
 * every problem has, an x-request-id, and nothing that looks like a stack trace.
 */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"], res.body).toMatch(/^application\/problem\+json/);
  expect(res.headers["x-request-id"]).toBeTruthy();
  const body = res.json<ProblemBody>();
  expect(body.status).toBe(status);
  expect(body.code).toBe(code);
  expect(typeof body.type).toBe("string");
  expect(body.type).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/i);
  expect(typeof body.title).toBe("string");
  expect(body.title.length).toBeGreaterThan(0);
  if (body.detail !== undefined) expect(typeof body.detail).toBe("string");
  expect(res.body).not.toMatch(/\n\s+at \S/);
  return body;
}

/** A 400 VALIDATION_FAILED whose `errors` name `path`. */
export function expectValidationError(res: LightMyRequestResponse, path: string): ProblemBody {
  const body = expectProblem(res, 400, "VALIDATION_FAILED");
  expect(Array.isArray(body.errors), res.body).toBe(true);
  for (const error of body.errors ?? []) {
    expect(typeof error.path).toBe("string");
    expect(typeof error.message).toBe("string");
  }
  expect(body.errors?.map((error) => error.path)).toContain(path);
  return body;
}

/** Any refusal: a 4xx problem (never a 5xx). */
export function expectClientError(res: LightMyRequestResponse): ProblemBody {
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  const body = expectProblem(res, res.statusCode, res.json<ProblemBody>().code);
  return body;
}

/** An entry with exactly the contract's fields, each of the right type. */
export function expectEntryShape(entry: EntryBody): void {
  expect(Object.keys(entry).sort()).toEqual([...ENTRY_KEYS]);
  expect(Number.isInteger(entry.id)).toBe(true);
  expect(entry.id).toBeGreaterThan(0);
  expect(typeof entry.username).toBe("string");
  expect(typeof entry.category).toBe("string");
  expect(Number.isInteger(entry.category_id)).toBe(true);
  expect(entry.start_time).toMatch(RFC3339_UTC);
  if (entry.end_time === null) {
    expect(entry.duration_seconds).toBeNull();
  } else {
    expect(entry.end_time).toMatch(RFC3339_UTC);
    expect(Number.isInteger(entry.duration_seconds)).toBe(true);
    expect(entry.duration_seconds).toBe((Date.parse(entry.end_time) - Date.parse(entry.start_time)) / 1000);
  }
  expect(entry.note === null || typeof entry.note === "string").toBe(true);
}

/** Sends `text` as it is, as application/json (for bodies an object payload cannot express). */
export function sendJson(
  t: TestApp,
  method: string,
  url: string,
  text: string,
  token?: string,
): Promise<LightMyRequestResponse> {
  return t.request(method, url, {
    body: text,
    headers: { "content-type": "application/json" },
    ...(token === undefined ? {} : { token }),
  });
}

/** Creates (or finds) a category and returns its stored name and id. */
export async function makeCategory(t: TestApp, token: string, name = uniqueName("cat")): Promise<CategoryBody> {
  const res = await t.request("POST", "/category", { token, body: { name } });
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json<{ category: CategoryBody }>().category;
}

/** A fresh user (signed up, logged in) with a fresh category of their own. */
export async function signUpWithCategory(t: TestApp) {
  const user = await t.signUp();
  const category = await makeCategory(t, user.token);
  return { ...user, category };
}

export interface EntryInput {
  readonly category: string;
  readonly start_time: string;
  readonly end_time?: string | null;
  readonly note?: string | null;
  readonly username?: string;
}

export function postEntry(t: TestApp, token: string, body: EntryInput): Promise<LightMyRequestResponse> {
  return t.request("POST", "/entry", { token, body });
}

/** Logs an entry that must be accepted and returns it. */
export async function logEntry(t: TestApp, token: string, body: EntryInput): Promise<EntryBody> {
  const res = await postEntry(t, token, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ entry: EntryBody }>().entry;
}

/** Every entry of the user, by walking the pages. */
export async function allEntries(t: TestApp, token: string, username: string, query = ""): Promise<EntryBody[]> {
  const entries: EntryBody[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const params = new URLSearchParams(query);
    params.set("limit", "1000");
    if (cursor !== null) params.set("cursor", cursor);
    const res = await t.request("GET", `/entries/${encodeURIComponent(username)}?${params.toString()}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<EntryListBody>();
    entries.push(...body.entries);
    cursor = body.next_cursor;
    if (cursor === null) return entries;
  }
  throw new Error("the cursor never ended");
}

/** Every user name, by walking the pages of GET /users. */
export async function allUsernames(t: TestApp, token: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const params = new URLSearchParams({ limit: "1000" });
    if (cursor !== null) params.set("cursor", cursor);
    const res = await t.request("GET", `/users?${params.toString()}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<UserListBody>();
    names.push(...body.users.map((user) => user.username));
    cursor = body.next_cursor;
    if (cursor === null) return names;
  }
  throw new Error("the cursor never ended");
}

export async function allCategories(t: TestApp, token: string): Promise<CategoryBody[]> {
  const res = await t.request("GET", "/category", { token });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ categories: CategoryBody[] }>().categories;
}
