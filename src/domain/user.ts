import { ValidationFailed } from "./errors.js";

export type UserId = number;

/** One installation is one organisation; every user has one of these roles in it. */
export const ROLES = ["owner", "admin", "member"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly id: UserId;
  readonly username: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
  readonly role: Role;
  /** A deactivated user cannot log in, and their sessions stop working; their entries stay. */
  readonly active: boolean;
  /** The user's own rate, the second link of the rate chain; null when they have none. */
  readonly hourlyRateCents: number | null;
}

/** Checks a role named in a request or on the command line. */
export function parseRole(raw: string, field = "role"): Role {
  const role = ROLES.find((candidate) => candidate === raw);
  if (!role) throw new ValidationFailed(field, `must be one of ${ROLES.join(", ")}`);
  return role;
}

/** Money is integer cents; a rate is at most 100,000.00 an hour. */
export const MAX_RATE_CENTS = 10_000_000;

/** Checks an hourly rate in cents: a whole number from 0 (a rate of 0 is a rate) up to the maximum, or null. */
export function checkRateCents(cents: number | null, field = "hourly_rate_cents"): number | null {
  if (cents !== null && !(Number.isSafeInteger(cents) && cents >= 0 && cents <= MAX_RATE_CENTS)) {
    throw new ValidationFailed(field, `must be a whole number of cents from 0 to ${MAX_RATE_CENTS}, or null`);
  }
  return cents;
}

const USERNAME = /^[A-Za-z0-9._-]{3,100}$/;

/**
 * Rules for a username chosen at registration. Accounts carried over from a seed database keep
 * whatever names they had; these rules apply only to new ones.
 */
export function parseNewUsername(raw: string): string {
  const username = raw.trim();
  if (!USERNAME.test(username)) {
    throw new ValidationFailed(
      "username",
      "must be 3-100 characters of letters, digits, '.', '_' or '-'",
    );
  }
  return username;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Rules for a password chosen at registration. Passwords are never trimmed or normalised. */
export function checkNewPassword(password: string, field = "password"): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw new ValidationFailed(field, `must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`);
  }
  return password;
}
