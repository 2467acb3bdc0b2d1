import { randomBytes } from "node:crypto";

/** A name no other test uses, so tests sharing a database never collide. */
export function uniqueName(prefix = "u"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/** Instant from a short UTC text: at("2026-02-10 09:00"). */
export function at(text: string): Date {
  const normalized = text.length === 16 ? `${text}:00` : text;
  return new Date(`${normalized.replace(" ", "T")}Z`);
}
