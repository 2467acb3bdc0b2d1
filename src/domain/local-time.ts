import { IANAZone } from "luxon";
import { ValidationFailed } from "./errors.js";
import { parseTimeZone } from "./summary.js";

/** A wall-clock time with no zone, as a file of local times writes it. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MS_PER_HOUR = 3_600_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

export function formatLocal(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
}

/** A zone local times are read in: an IANA name (VALIDATION_FAILED otherwise). */
export function localZone(name: string, field = "tz"): IANAZone {
  return IANAZone.create(parseTimeZone(name, field));
}

/**
 * The instant a wall-clock time names in `zone`. A time that a daylight-saving change skips
 * (02:30 on a spring-forward night in Berlin) names none: VALIDATION_FAILED for `field`. A time
 * that happens twice (02:30 on a fall-back night) is the earlier of the two instants.
 */
export function localToInstant(local: LocalDateTime, zone: IANAZone, field: string): Date {
  const { year, month, day, hour, minute, second } = local;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const real = new Date(asUtc);
  if (
    real.getUTCFullYear() !== year ||
    real.getUTCMonth() !== month - 1 ||
    real.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new ValidationFailed(field, `${formatLocal(local)} is not a date and time`);
  }
  // The offsets in force around it: a local time is an instant at one of them, if that offset is
  // in force at that instant. None: skipped by a change; two: repeated, and the earlier one wins.
  const offsets = new Set([-1, 0, 1].map((hours) => zone.offset(asUtc + hours * 24 * MS_PER_HOUR)));
  const instants = [...offsets]
    .map((offsetMinutes) => asUtc - offsetMinutes * 60_000)
    .filter((instant) => zone.offset(instant) * 60_000 === asUtc - instant)
    .sort((a, b) => a - b);
  const first = instants[0];
  if (first === undefined) {
    throw new ValidationFailed(field, `${formatLocal(local)} does not exist in ${zone.name} (a daylight-saving change skips it)`);
  }
  return new Date(first);
}
