import pino, { type Logger, type LoggerOptions } from "pino";

/** Never log a credential: headers that carry one, and any field named like one. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "password",
  "token",
  "passwordHash",
  "pwd_hash",
  "*.password",
  "*.token",
  "*.passwordHash",
  "*.pwd_hash",
  "*.tokenHash",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: "time-tracker" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
