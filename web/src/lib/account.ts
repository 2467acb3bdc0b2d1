/** The Account screen's rules and wording, without DOM or API calls (unit-tested in test/web/lib/). */

/**
 * Whether a refusal means the session is gone, so the app should show the sign-in form: a 401,
 * but not from POST /login, and not a wrong password or code given to an account route
 * (INVALID_CREDENTIALS), which leaves the session as it was.
 */
export function sessionEnded(status: number, code: string | undefined, path: string): boolean {
  return status === 401 && path !== "/login" && code !== "INVALID_CREDENTIALS" && code !== "TOTP_REQUIRED";
}

/** The registration rules for a password (API.md: 8 to 256 characters). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** What is wrong with a new password and its confirmation before they are sent, or null. */
export function newPasswordProblem(password: string, confirmation: string): string | null {
  if (password.length < PASSWORD_MIN) return `The new password needs at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `The new password can have at most ${PASSWORD_MAX} characters.`;
  if (password !== confirmation) return "The new password and its confirmation are not the same.";
  return null;
}

/** How long a new API token lasts: the choices of its form (the API takes 1 to 3650 days, or null for never). */
export const TOKEN_EXPIRY: readonly { readonly value: string; readonly label: string; readonly days: number | null }[] = [
  { value: "7", label: "7 days", days: 7 },
  { value: "30", label: "30 days", days: 30 },
  { value: "90", label: "90 days", days: 90 },
  { value: "365", label: "1 year", days: 365 },
  { value: "never", label: "Never", days: null },
];

/** The API's default lifetime (90 days), the form's first choice. */
export const DEFAULT_TOKEN_EXPIRY = "90";

/** The `expires_in_days` of an expiry choice: null for "never", else its days (an unknown one: the default). */
export function expiryDays(value: string): number | null {
  const choice = TOKEN_EXPIRY.find((c) => c.value === value);
  return choice ? choice.days : Number(DEFAULT_TOKEN_EXPIRY);
}

export const SCOPE_LABEL: Readonly<Record<"read" | "write", string>> = { read: "Read only", write: "Read and write" };

/** The events a webhook may subscribe to, as the API names them (its ENTRY_EVENTS), with how people read them. */
export const WEBHOOK_EVENTS: readonly { readonly event: string; readonly label: string }[] = [
  { event: "entry.created", label: "Entry created" },
  { event: "entry.updated", label: "Entry updated" },
  { event: "entry.deleted", label: "Entry deleted" },
  { event: "timer.started", label: "Timer started" },
  { event: "timer.stopped", label: "Timer stopped" },
];

/** Every event, also those added later. */
export const ALL_EVENTS = "*";

/** What to send as a webhook's `events`: ["*"] for all, else the ticked ones in the list's order ([] for none). */
export function eventsToSend(all: boolean, ticked: ReadonlySet<string>): string[] {
  if (all) return [ALL_EVENTS];
  return WEBHOOK_EVENTS.map((e) => e.event).filter((event) => ticked.has(event));
}

/** A webhook's events as people read them. */
export function eventsText(events: readonly string[]): string {
  if (events.includes(ALL_EVENTS)) return "All events";
  return events.map((event) => WEBHOOK_EVENTS.find((e) => e.event === event)?.label ?? event).join(", ");
}

interface DeliveryLike {
  readonly status: "pending" | "delivered" | "failed";
  readonly attempts: number;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
}

/** What became of a delivery, in a few words: delivered, failed (and why), waiting or retrying. */
export function deliveryOutcome(delivery: DeliveryLike): string {
  const answer = delivery.last_status_code === null ? "" : ` (HTTP ${delivery.last_status_code})`;
  const why = delivery.last_error ? `: ${delivery.last_error}` : "";
  const tries = `${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"}`;
  if (delivery.status === "delivered") return `Delivered${answer}`;
  if (delivery.status === "failed") return `Failed after ${tries}${answer}${why}`;
  return delivery.attempts === 0 ? "Waiting to be sent" : `Retrying after ${tries}${answer}${why}`;
}

/** An SVG document as an <img> source: a data: URL, which the app's policy allows for images (img-src 'self' data:). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.trim())}`;
}

/** A base32 secret in groups of four, easier to read out and type (authenticator apps ignore the spaces). */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, "").match(/.{1,4}/g) ?? []).join(" ");
}
