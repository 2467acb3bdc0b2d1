import { ReferencedRowMissing, StoreUnavailable } from "../../../application/ports/store.js";

/** The fields mysql2 (and Node's net module) put on the errors they raise. */
export interface DriverError extends Error {
  readonly code?: string;
  readonly errno?: number;
  readonly fatal?: boolean;
}

export function isDriverError(error: unknown): error is DriverError {
  return error instanceof Error && ("code" in error || "errno" in error || "fatal" in error);
}

/** Socket-level and protocol-level codes: the server is unreachable or the link broke. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR",
  "PROTOCOL_ENQUEUE_AFTER_QUIT",
  "PROTOCOL_ENQUEUE_HANDSHAKE_TWICE",
]);

/**
 * Server error numbers that mean "not now" rather than "wrong request": too many connections,
 * shutting down, network errors seen by the server, a connection killed (MariaDB 1927) or timed
 * out for inactivity (MySQL 4031), and a lock wait that timed out under contention.
 */
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1152, 1158, 1159, 1160, 1161, 1184, 1203, 1205, 1927, 4031]);

/** What mysql2's pool says when it cannot hand out a connection; these errors carry no code. */
const POOL_MESSAGES = new Set(["Queue limit reached.", "No connections available.", "Pool is closed."]);

export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_DEADLOCK = 1213;
/** A child row names a parent that does not exist (ER_NO_REFERENCED_ROW_2; 1216 on older servers). */
const ER_NO_REFERENCED_ROW = new Set([1216, 1452]);

/** True when the error means the database cannot be used right now (as opposed to a bad statement). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailable) return true;
  if (!(error instanceof Error)) return false;
  if (POOL_MESSAGES.has(error.message)) return true;
  if (!isDriverError(error)) return false;
  if (error.code !== undefined && CONNECTION_CODES.has(error.code)) return true;
  if (error.errno !== undefined && UNAVAILABLE_ERRNOS.has(error.errno)) return true;
  return error.fatal === true;
}

/** True when the connection that raised the error must not go back to the pool. */
export function spoilsConnection(error: unknown): boolean {
  return isUnavailable(error) || (isDriverError(error) && error.fatal === true);
}

export function isDuplicateKey(error: unknown): boolean {
  return isDriverError(error) && error.errno === ER_DUP_ENTRY;
}

export function isDeadlock(error: unknown): boolean {
  return isDriverError(error) && error.errno === ER_LOCK_DEADLOCK;
}

/** Codes of a connection that could not be opened at all: the server is down or unreachable. */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN", "ENOTFOUND", "EAI_AGAIN"]);

export function isConnectFailure(error: unknown): boolean {
  return isDriverError(error) && error.code !== undefined && CONNECT_CODES.has(error.code);
}

/**
 * Turns a connection-level failure into the port's StoreUnavailable and a failed foreign key into
 * ReferencedRowMissing; anything else is returned as is.
 */
export function translateError(error: unknown): unknown {
  if (isDriverError(error) && error.errno !== undefined && ER_NO_REFERENCED_ROW.has(error.errno)) {
    return new ReferencedRowMissing(undefined, { cause: error });
  }
  if (error instanceof StoreUnavailable || !isUnavailable(error)) return error;
  const code = isDriverError(error) && error.code ? ` (${error.code})` : "";
  return new StoreUnavailable(`The MySQL database cannot be reached${code}`, { cause: error });
}
