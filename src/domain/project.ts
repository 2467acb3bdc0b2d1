import { ValidationFailed } from "./errors.js";
import { parseName } from "./names.js";

/*
 * Clients and projects: shared by the whole instance, written by admins. A project belongs to at
 * most one client; its name is unique under that client (and among the projects without one).
 * Nothing is ever deleted, only archived: entries keep pointing at what they were booked on.
 */

export type ClientId = number;
export type ProjectId = number;

export interface Client {
  readonly id: ClientId;
  readonly name: string;
  readonly archived: boolean;
}

export interface Project {
  readonly id: ProjectId;
  readonly name: string;
  readonly clientId: ClientId | null;
  /** The client's name, or null without one. */
  readonly clientName: string | null;
  /** "#rrggbb", or null. */
  readonly color: string | null;
  /** What a new entry on the project defaults to. */
  readonly billable: boolean;
  /** The first link of the rate chain; null for none. */
  readonly hourlyRateCents: number | null;
  /** Archived itself, or its client is: either way no new time is booked on it. */
  readonly archived: boolean;
}

export const CLIENT_NAME_MAX = 100;
export const PROJECT_NAME_MAX = 100;

export function parseClientName(raw: string, field = "name"): string {
  return parseName(raw, field, CLIENT_NAME_MAX);
}

export function parseProjectName(raw: string, field = "name"): string {
  return parseName(raw, field, PROJECT_NAME_MAX);
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour is "#rrggbb", kept in lower case; null for none. */
export function parseColor(raw: string | null, field = "color"): string | null {
  if (raw === null) return null;
  if (!COLOR.test(raw)) throw new ValidationFailed(field, "must be a colour written #rrggbb");
  return raw.toLowerCase();
}
