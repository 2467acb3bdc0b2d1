import { ValidationFailed } from "./errors.js";

export type UserId = number;

export interface User {
  readonly id: UserId;
  readonly username: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
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
export function checkNewPassword(password: string): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw new ValidationFailed("password", `must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`);
  }
  return password;
}
