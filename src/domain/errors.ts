/**
 * Domain errors carry a stable, machine-readable `code`. The HTTP adapter maps codes to statuses
 * in one table; nothing in the core knows about HTTP.
 */
export type DomainErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "USER_NOT_FOUND"
  | "ENTRY_NOT_FOUND"
  | "CATEGORY_NOT_FOUND"
  | "USERNAME_TAKEN"
  | "ENTRY_OVERLAP"
  | "TIMER_ALREADY_RUNNING"
  | "TIMER_NOT_RUNNING"
  | "ENTRY_TOO_LONG"
  | "RATE_LIMITED"
  | "LAST_OWNER"
  | "REGISTRATION_CLOSED"
  | "INVITE_REQUIRED"
  | "INVITE_INVALID"
  | "INVITATION_NOT_FOUND"
  | "TEAM_NOT_FOUND"
  | "TEAM_NAME_TAKEN"
  | "CLIENT_NOT_FOUND"
  | "CLIENT_NAME_TAKEN"
  | "PROJECT_NOT_FOUND"
  | "PROJECT_NAME_TAKEN"
  | "PROJECT_ARCHIVED"
  | "PERIOD_LOCKED"
  | "INSUFFICIENT_SCOPE"
  | "SESSION_REQUIRED"
  | "CURSOR_EXPIRED"
  | "BATCH_FAILED"
  | "WEBHOOK_NOT_FOUND"
  | "WEBHOOK_URL_FORBIDDEN"
  | "TOKEN_NOT_FOUND"
  | "SESSION_NOT_FOUND"
  | "TOTP_REQUIRED"
  | "TOTP_ALREADY_ENABLED"
  | "TOTP_NOT_ENABLED";

/**
 * One field-level problem. `field` names the input it is about ("end_time", "tz"), as the use
 * case was given it; where that field sits in a request (a JSON Pointer into a body, a query
 * parameter) is for the driver to say.
 */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldProblems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(field: string, message: string) {
    super("VALIDATION_FAILED", `${field} ${message}`, [{ field, message }]);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = "A valid bearer token is required") {
    super("UNAUTHENTICATED", message);
  }
}

export class InvalidCredentials extends DomainError {
  constructor() {
    super("INVALID_CREDENTIALS", "Invalid username or password");
  }
}

export class Forbidden extends DomainError {
  constructor(message = "You may only access your own data") {
    super("FORBIDDEN", message);
  }
}

export class UserNotFound extends DomainError {
  constructor(username: string) {
    super("USER_NOT_FOUND", `User '${username}' not found`);
  }
}

export class EntryNotFound extends DomainError {
  constructor(id: string | number) {
    super("ENTRY_NOT_FOUND", `Time entry ${id} not found`);
  }
}

export class CategoryNotFound extends DomainError {
  constructor(name: string) {
    super("CATEGORY_NOT_FOUND", `Category '${name}' not found`);
  }
}

export class UsernameTaken extends DomainError {
  constructor(username: string) {
    super("USERNAME_TAKEN", `Username '${username}' is already taken`);
  }
}

export class EntryOverlap extends DomainError {
  constructor(
    readonly otherEntryId: number,
    description: string,
  ) {
    super("ENTRY_OVERLAP", `${description} overlaps entry ${otherEntryId}`);
  }
}

export class TimerAlreadyRunning extends DomainError {
  constructor(readonly runningEntryId: number) {
    super("TIMER_ALREADY_RUNNING", `A timer is already running (entry ${runningEntryId})`);
  }
}

export class TimerNotRunning extends DomainError {
  constructor(id: number) {
    super("TIMER_NOT_RUNNING", `Time entry ${id} is not running`);
  }
}

export class EntryTooLong extends DomainError {
  constructor(message: string) {
    super("ENTRY_TOO_LONG", message);
  }
}

export class RateLimited extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many attempts; try again in ${retryAfterSeconds} seconds`,
  ) {
    super("RATE_LIMITED", message);
  }
}

export class LastOwner extends DomainError {
  constructor(message = "The instance must keep at least one active owner") {
    super("LAST_OWNER", message);
  }
}

export class RegistrationClosed extends DomainError {
  constructor() {
    super("REGISTRATION_CLOSED", "Registration is closed on this instance; ask an admin for an account");
  }
}

export class InviteRequired extends DomainError {
  constructor() {
    super("INVITE_REQUIRED", "Registration on this instance needs an invitation code (invite_code)");
  }
}

export class InviteInvalid extends DomainError {
  constructor() {
    super("INVITE_INVALID", "The invitation code is unknown, used or expired");
  }
}

export class InvitationNotFound extends DomainError {
  constructor(id: string | number) {
    super("INVITATION_NOT_FOUND", `Invitation ${id} not found`);
  }
}

export class TeamNotFound extends DomainError {
  constructor(id: string | number) {
    super("TEAM_NOT_FOUND", `Team ${id} not found`);
  }
}

export class TeamNameTaken extends DomainError {
  constructor(name: string) {
    super("TEAM_NAME_TAKEN", `A team named '${name}' exists already`);
  }
}

export class ClientNotFound extends DomainError {
  constructor(id: string | number) {
    super("CLIENT_NOT_FOUND", `Client ${id} not found`);
  }
}

export class ClientNameTaken extends DomainError {
  constructor(name: string) {
    super("CLIENT_NAME_TAKEN", `A client named '${name}' exists already`);
  }
}

export class ProjectNotFound extends DomainError {
  constructor(id: string | number) {
    super("PROJECT_NOT_FOUND", `Project ${id} not found`);
  }
}

export class ProjectNameTaken extends DomainError {
  constructor(name: string) {
    super("PROJECT_NAME_TAKEN", `A project named '${name}' exists already for this client`);
  }
}

export class ProjectArchived extends DomainError {
  constructor(name: string) {
    super("PROJECT_ARCHIVED", `Project '${name}' is archived (or its client is); new time cannot be booked on it`);
  }
}

export class PeriodLocked extends DomainError {
  constructor(lockBefore: string) {
    super("PERIOD_LOCKED", `Time before ${lockBefore} is locked; ask an admin to change it`);
  }
}

export class InsufficientScope extends DomainError {
  constructor(message = "This API token may only read (GET); a write needs a token with the write scope") {
    super("INSUFFICIENT_SCOPE", message);
  }
}

export class SessionRequired extends DomainError {
  constructor(message = "This needs a login session (POST /login), not an API token") {
    super("SESSION_REQUIRED", message);
  }
}

export class CursorExpired extends DomainError {
  constructor(message = "The cursor is older than the changes kept; start again without one") {
    super("CURSOR_EXPIRED", message);
  }
}

export class BatchFailed extends DomainError {
  constructor(message = "An item of the atomic batch failed; nothing was stored") {
    super("BATCH_FAILED", message);
  }
}

export class WebhookNotFound extends DomainError {
  constructor(id: string | number) {
    super("WEBHOOK_NOT_FOUND", `Webhook ${id} not found`);
  }
}

export class WebhookUrlForbidden extends DomainError {
  constructor(message: string) {
    super("WEBHOOK_URL_FORBIDDEN", message, [{ field: "url", message }]);
  }
}

export class TokenNotFound extends DomainError {
  constructor(id: string | number) {
    super("TOKEN_NOT_FOUND", `API token ${id} not found`);
  }
}

export class SessionNotFound extends DomainError {
  constructor(id: string | number) {
    super("SESSION_NOT_FOUND", `Session ${id} not found`);
  }
}

export class TotpRequired extends DomainError {
  constructor() {
    super("TOTP_REQUIRED", "This account has two-factor login on: send totp_code (a current code or a recovery code)");
  }
}

export class TotpAlreadyEnabled extends DomainError {
  constructor() {
    super("TOTP_ALREADY_ENABLED", "Two-factor login is on already; turn it off (DELETE /me/totp) before setting it up again");
  }
}

export class TotpNotEnabled extends DomainError {
  constructor(detail = "Two-factor login is not on for this account") {
    super("TOTP_NOT_ENABLED", detail);
  }
}
