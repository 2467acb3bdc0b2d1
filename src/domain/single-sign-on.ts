import { parseNewUsername } from "./user.js";

/** What a provider vouches for once its ID token is verified: who, at which issuer. */
export interface VerifiedIdentity {
  /** The issuer identifier the ID token came from (its `iss`). */
  readonly issuer: string;
  /** The provider's stable id of the person (`sub`): accounts are linked by it, never by e-mail. */
  readonly subject: string;
  /** The `preferred_username` claim, when the provider sent one; only a hint for a new account's name. */
  readonly preferredUsername: string | null;
}

const USERNAME_MAX = 100;
const USERNAME_MIN = 3;
/** Room kept at the end of a name for "-2" … "-99999". */
const SUFFIX_ROOM = 6;

/** `text` as username characters: runs of anything else become one "-", trimmed of "-" and ".". */
function sanitize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * The name a new account made by single sign-on starts from: the provider's preferred_username
 * (its part before an "@", when it is an e-mail address), else "sso-" and the `sub`, reduced to
 * the characters a username may have. Always passes the username rules, with room for a suffix.
 */
export function ssoUsernameBase(identity: Pick<VerifiedIdentity, "subject" | "preferredUsername">): string {
  const hint = identity.preferredUsername?.split("@")[0] ?? "";
  const fromHint = sanitize(hint);
  const fromSubject = sanitize(identity.subject);
  const base = fromHint.length >= USERNAME_MIN ? fromHint : fromSubject !== "" ? `sso-${fromSubject}` : "sso-user";
  return parseNewUsername(base.slice(0, USERNAME_MAX - SUFFIX_ROOM).replace(/[-.]+$/, ""));
}

/** The `attempt`-th name to try (1: the base itself, then base-2, base-3, …). */
export function ssoUsernameCandidate(base: string, attempt: number): string {
  return parseNewUsername(attempt <= 1 ? base : `${base}-${attempt}`);
}
