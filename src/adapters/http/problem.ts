import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, RateLimited, type DomainErrorCode, type FieldProblem } from "../../domain/errors.js";
import { ReferencedRowMissing, StoreUnavailable } from "../../application/ports/store.js";
import { IdentityProviderUnavailable } from "../../application/ports/identity-provider.js";

export type ProblemCode =
  | DomainErrorCode
  | "MALFORMED_JSON"
  | "NOT_FOUND"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "BAD_REQUEST"
  | "UNAVAILABLE"
  | "INTERNAL";

/** One failing part of a request, addressed by a JSON Pointer into it ("/end_time", "/tz"). */
export interface PointedProblem {
  readonly path: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail?: string;
  readonly errors?: readonly PointedProblem[];
}

/**
 * A request the HTTP adapter itself refuses before any use case runs (a body holding a lone
 * surrogate, say), with the JSON Pointer of what is wrong.
 */
export class InvalidRequest extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path.replace(/^\//, "") || "the body"} ${problem}`);
    this.name = "InvalidRequest";
  }
}

/**
 * A use case names the input field a problem is about; every input it is given arrives as a
 * top-level member of a body or as a query or path parameter, so its pointer is "/" + the field.
 */
function pointTo(problem: FieldProblem): PointedProblem {
  return { path: `/${problem.field.replaceAll("~", "~0").replaceAll("/", "~1")}`, message: problem.message };
}

/** THE table: every code the API answers with, its status and its title. */
const PROBLEMS: Record<ProblemCode, { readonly status: number; readonly title: string }> = {
  VALIDATION_FAILED: { status: 400, title: "The request is not valid" },
  WEBHOOK_URL_FORBIDDEN: { status: 400, title: "The webhook URL is not allowed" },
  MALFORMED_JSON: { status: 400, title: "The body is not valid JSON" },
  BAD_REQUEST: { status: 400, title: "Bad request" },
  UNAUTHENTICATED: { status: 401, title: "Authentication required" },
  INVALID_CREDENTIALS: { status: 401, title: "Invalid username or password" },
  TOTP_REQUIRED: { status: 401, title: "A two-factor code is required" },
  FORBIDDEN: { status: 403, title: "Forbidden" },
  INSUFFICIENT_SCOPE: { status: 403, title: "The token's scope does not allow this" },
  SESSION_REQUIRED: { status: 403, title: "A login session is required" },
  REGISTRATION_CLOSED: { status: 403, title: "Registration is closed" },
  INVITE_REQUIRED: { status: 403, title: "An invitation is required" },
  INVITE_INVALID: { status: 403, title: "The invitation is not valid" },
  NOT_FOUND: { status: 404, title: "Not found" },
  USER_NOT_FOUND: { status: 404, title: "User not found" },
  ENTRY_NOT_FOUND: { status: 404, title: "Time entry not found" },
  CATEGORY_NOT_FOUND: { status: 404, title: "Category not found" },
  INVITATION_NOT_FOUND: { status: 404, title: "Invitation not found" },
  TEAM_NOT_FOUND: { status: 404, title: "Team not found" },
  CLIENT_NOT_FOUND: { status: 404, title: "Client not found" },
  WEBHOOK_NOT_FOUND: { status: 404, title: "Webhook not found" },
  TOKEN_NOT_FOUND: { status: 404, title: "API token not found" },
  SESSION_NOT_FOUND: { status: 404, title: "Session not found" },
  PROJECT_NOT_FOUND: { status: 404, title: "Project not found" },
  USERNAME_TAKEN: { status: 409, title: "Username already taken" },
  ENTRY_OVERLAP: { status: 409, title: "Time entry overlaps another entry" },
  TIMER_ALREADY_RUNNING: { status: 409, title: "A timer is already running" },
  TIMER_NOT_RUNNING: { status: 409, title: "The timer is not running" },
  LAST_OWNER: { status: 409, title: "The last active owner must stay" },
  TEAM_NAME_TAKEN: { status: 409, title: "Team name already taken" },
  CLIENT_NAME_TAKEN: { status: 409, title: "Client name already taken" },
  PROJECT_NAME_TAKEN: { status: 409, title: "Project name already taken for this client" },
  PERIOD_LOCKED: { status: 409, title: "The period is locked" },
  TOTP_ALREADY_ENABLED: { status: 409, title: "Two-factor login is on already" },
  TOTP_NOT_ENABLED: { status: 409, title: "Two-factor login is not on" },
  CURSOR_EXPIRED: { status: 410, title: "The cursor has expired" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  ENTRY_TOO_LONG: { status: 422, title: "Time entry too long" },
  PROJECT_ARCHIVED: { status: 422, title: "The project is archived" },
  BATCH_FAILED: { status: 422, title: "The atomic batch failed" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  INTERNAL: { status: 500, title: "Internal server error" },
  UNAVAILABLE: { status: 503, title: "Service unavailable" },
};

export function problemOf(code: ProblemCode, detail?: string, errors?: readonly PointedProblem[]): Problem {
  const { status, title } = PROBLEMS[code];
  return {
    type: `urn:time-tracker:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined || errors.length === 0 ? {} : { errors }),
  };
}

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

/** Ajv's errors as JSON Pointers into the part of the request that failed. */
function fieldProblems(errors: readonly AjvError[]): PointedProblem[] {
  return errors.map((error) => {
    let path = error.instancePath;
    const missing = error.params.missingProperty ?? error.params.additionalProperty;
    if (typeof missing === "string") path = `${path}/${missing}`;
    const message =
      error.keyword === "additionalProperties" ? "is not a known field" : (error.message ?? "is invalid");
    return { path: path || "/", message };
  });
}

function describeFields(part: string, problems: readonly PointedProblem[]): string {
  const first = problems[0];
  if (!first) return `The ${part} is not valid`;
  const where = first.path === "/" ? `the ${part}` : `${part} ${first.path}`;
  return `${where} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`;
}

const FASTIFY_CODES: Readonly<Record<string, ProblemCode>> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
  FST_ERR_CTP_INVALID_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_RATE_LIMIT_EXCEEDED: "RATE_LIMITED",
};

/** Any error → the problem the client sees. Nothing internal leaks from a 5xx. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problemOf(error.code, error.message, error.fieldProblems.map(pointTo));
  }
  if (error instanceof InvalidRequest) {
    return problemOf("VALIDATION_FAILED", error.message, [{ path: error.path, message: error.problem }]);
  }
  if (error instanceof ReferencedRowMissing) {
    return problemOf("NOT_FOUND", "Something this request refers to (a user or a category) no longer exists");
  }
  if (error instanceof StoreUnavailable) {
    return problemOf("UNAVAILABLE", "The database cannot be reached; try again shortly");
  }
  if (error instanceof IdentityProviderUnavailable) {
    return problemOf("UNAVAILABLE", "The single sign-on provider cannot be reached; try again shortly");
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: AjvError[] };
  if (Array.isArray(fastifyError.validation)) {
    const part = fastifyError.validationContext ?? "request";
    const problems = fieldProblems(fastifyError.validation);
    return problemOf("VALIDATION_FAILED", describeFields(part, problems), problems);
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return problemOf(mapped, fastifyError.message);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return problemOf("MALFORMED_JSON", error.message);
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { ...problemOf("BAD_REQUEST", fastifyError.message), status };
  }
  return problemOf("INTERNAL", "Something went wrong on our side; the request id identifies it in the log");
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type("application/problem+json; charset=utf-8").send(problem);
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: problem.code, status: problem.status }, "request refused");
  if (problem.code === "UNAUTHENTICATED") reply.header("www-authenticate", 'Bearer realm="time-tracker"');
  if (error instanceof RateLimited) reply.header("retry-after", String(error.retryAfterSeconds));
  return sendProblem(reply, problem);
}
