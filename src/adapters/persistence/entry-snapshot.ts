import type { TimeEntry } from "../../domain/time-entry.js";

/** An entry as the outbox keeps it (JSON, instants as ISO strings): what an event announces. */
export function entrySnapshot(entry: TimeEntry): string {
  return JSON.stringify(entry);
}

export function fromEntrySnapshot(json: string): TimeEntry {
  const raw = JSON.parse(json) as Omit<TimeEntry, "start" | "end"> & { start: string; end: string | null };
  return { ...raw, start: new Date(raw.start), end: raw.end === null ? null : new Date(raw.end) };
}
