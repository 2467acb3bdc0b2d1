import { randomBytes } from "node:crypto";

/** A session's public id (GET /me/sessions): 128 random bits as hex, unrelated to its token. */
export function newSessionId(): string {
  return randomBytes(16).toString("hex");
}
