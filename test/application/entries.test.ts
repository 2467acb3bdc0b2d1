import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "../../src/application/ports/store.js";
import { openTestStore } from "../support/stores.js";
import { DeleteTimeEntry } from "../../src/application/delete-time-entry.js";
import type { User } from "../../src/domain/user.js";
import { ExportEntries } from "../../src/application/export-entries.js";
import { GetTimeEntry } from "../../src/application/get-time-entry.js";
import { ListEntries } from "../../src/application/list-entries.js";
import { bookingLookups } from "../../src/application/entry-booking.js";
import { LogTimeEntry } from "../../src/application/log-time-entry.js";
import { StopTimer } from "../../src/application/stop-timer.js";
import { UpdateTimeEntry } from "../../src/application/update-time-entry.js";
import type { DomainErrorCode } from "../../src/domain/errors.js";
import { FixedClock } from "../support/fakes.js";
import { at } from "../support/names.js";

async function codeOf(promise: Promise<unknown>): Promise<DomainErrorCode | "none"> {
  try {
    await promise;
    return "none";
  } catch (error) {
    return (error as { code: DomainErrorCode }).code;
  }
}

describe("time entries", () => {
  let store: Store;
  let clock: FixedClock;
  let ann: User;
  let bob: User;
  let log: LogTimeEntry;
  let stop: StopTimer;
  let update: UpdateTimeEntry;

  beforeEach(async () => {
    store = await openTestStore();
    clock = new FixedClock(at("2026-02-10 12:00"));
    ann = await store.users.add({ username: "ann", passwordHash: "x", createdAt: clock.now() });
    bob = await store.users.add({ username: "bob", passwordHash: "x", createdAt: clock.now() });
    await store.categories.add("Work");
    await store.categories.add("Play");
    log = new LogTimeEntry(bookingLookups(store, clock), store.transactor);
    stop = new StopTimer(store.settings, store.transactor, clock);
    update = new UpdateTimeEntry(store.categories, store.settings, store.transactor, clock);
  });

  const entry = (actor: User, start: string, end?: string, extra: Partial<{ category: string; note: string }> = {}) =>
    log.execute({ actor, category: extra.category ?? "work", startTime: start, endTime: end, note: extra.note });

  it("logs a closed entry in the named category (case-insensitively)", async () => {
    const e = await entry(ann, "2026-02-10 09:00:00", "2026-02-10T11:30:00+01:00", { note: "standup" });
    expect(e).toMatchObject({ userId: ann.id, categoryName: "Work", start: at("2026-02-10 09:00"), end: at("2026-02-10 10:30"), note: "standup" });
  });

  it("refuses an unknown category, bad times and overlaps, storing nothing", async () => {
    await entry(ann, "2026-02-10 09:00:00", "2026-02-10 10:00:00");
    expect(await codeOf(entry(ann, "2026-02-10 10:00:00", "2026-02-10 11:00:00"))).toBe("none");
    expect(await codeOf(entry(ann, "2026-02-10 12:00:00", "2026-02-10 13:00:00", { category: "Nope" }))).toBe("CATEGORY_NOT_FOUND");
    expect(await codeOf(entry(ann, "2026-02-10 13:00:00", "2026-02-10 13:00:00"))).toBe("VALIDATION_FAILED");
    expect(await codeOf(entry(ann, "2026-02-10 13:00:00", "2026-02-11 13:00:01"))).toBe("ENTRY_TOO_LONG");
    expect(await codeOf(entry(ann, "2026-02-10 09:30:00", "2026-02-10 09:45:00"))).toBe("ENTRY_OVERLAP");
    expect(await codeOf(entry(ann, "tomorrow", "2026-02-10 09:45:00"))).toBe("VALIDATION_FAILED");
    expect(await codeOf(entry(bob, "2026-02-10 09:30:00", "2026-02-10 09:45:00"))).toBe("none");
    const list = new ListEntries(store.users, store.categories, store.entries, store.teams, store.tags);
    expect((await list.execute({ actor: ann, username: "ann", after: null, limit: 100 })).entries).toHaveLength(2);
  });

  it("of concurrent overlapping entries exactly one is stored", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => entry(ann, `2026-02-10 09:${String(i).padStart(2, "0")}:00`, "2026-02-10 10:30:00")),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await store.entries.findOverlapping(ann.id, { start: at("2026-02-10 00:00"), end: null }, null)).toHaveLength(1);
  });

  it("runs one timer at a time; a running timer blocks later entries; stopping ends it now", async () => {
    const timer = await entry(ann, "2026-02-10 11:00:00");
    expect(timer.end).toBeNull();
    expect(await codeOf(entry(ann, "2026-02-10 11:30:00"))).toBe("TIMER_ALREADY_RUNNING");
    expect(await codeOf(entry(ann, "2026-02-10 11:30:00", "2026-02-10 11:45:00"))).toBe("ENTRY_OVERLAP");
    expect(await codeOf(entry(ann, "2026-02-10 10:00:00", "2026-02-10 11:00:00"))).toBe("none");
    clock.set(at("2026-02-10 12:30"));
    const stopped = await stop.execute({ actor: ann, entryId: timer.id });
    expect(stopped.end).toEqual(at("2026-02-10 12:30"));
    expect(await codeOf(stop.execute({ actor: ann, entryId: timer.id }))).toBe("TIMER_NOT_RUNNING");
  });

  it("answers ENTRY_NOT_FOUND, not TIMER_NOT_RUNNING, when the entry vanishes between its read and its write", async () => {
    const timer = await entry(ann, "2026-02-10 11:00:00");
    const run = store.transactor.run.bind(store.transactor);
    vi.spyOn(store.transactor, "run").mockImplementation((scope, work) =>
      run(scope, (repos) => {
        const entries = Object.create(repos.entries) as typeof repos.entries;
        entries.update = async () => null;
        return work({ ...repos, entries });
      }),
    );
    expect(await codeOf(stop.execute({ actor: ann, entryId: timer.id }))).toBe("ENTRY_NOT_FOUND");
  });

  it("of concurrent timers exactly one starts", async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => entry(ann, "2026-02-10 11:00:00")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("starts a timer at most 24 hours back and never in the future", async () => {
    expect(await codeOf(entry(ann, "2026-02-10 12:00:01"))).toBe("VALIDATION_FAILED");
    expect(await codeOf(entry(ann, "2026-02-09 11:59:59"))).toBe("ENTRY_TOO_LONG");
  });

  it("needs an explicit end for a timer left running over 24 hours, and takes one", async () => {
    const timer = await entry(ann, "2026-02-10 11:00:00");
    clock.set(at("2026-02-12 09:00"));
    expect(await codeOf(stop.execute({ actor: ann, entryId: timer.id }))).toBe("ENTRY_TOO_LONG");
    const stopped = await stop.execute({ actor: ann, entryId: timer.id, endTime: "2026-02-10 18:00:00" });
    expect(stopped.end).toEqual(at("2026-02-10 18:00"));
  });

  it("hides another user's entry behind ENTRY_NOT_FOUND everywhere", async () => {
    const mine = await entry(ann, "2026-02-10 11:00:00");
    expect(await codeOf(new GetTimeEntry(store.entries, store.users, store.teams).execute({ actor: bob, entryId: mine.id }))).toBe("ENTRY_NOT_FOUND");
    expect(await codeOf(stop.execute({ actor: bob, entryId: mine.id }))).toBe("ENTRY_NOT_FOUND");
    expect(await codeOf(update.execute({ actor: bob, entryId: mine.id, note: "x" }))).toBe("ENTRY_NOT_FOUND");
    expect(await codeOf(new DeleteTimeEntry(store.settings, store.transactor).execute({ actor: bob, entryId: mine.id }))).toBe("ENTRY_NOT_FOUND");
    expect(await store.entries.findById(mine.id)).not.toBeNull();
  });

  it("updates re-check every rule against the user's other entries", async () => {
    const a = await entry(ann, "2026-02-10 08:00:00", "2026-02-10 09:00:00");
    const b = await entry(ann, "2026-02-10 09:00:00", "2026-02-10 10:00:00");
    expect(await codeOf(update.execute({ actor: ann, entryId: b.id, startTime: "2026-02-10 08:30:00" }))).toBe("ENTRY_OVERLAP");
    expect(await codeOf(update.execute({ actor: ann, entryId: b.id, endTime: "2026-02-10 09:00:00" }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(update.execute({ actor: ann, entryId: b.id, endTime: "2026-02-11 09:00:01" }))).toBe("ENTRY_TOO_LONG");
    expect(await codeOf(update.execute({ actor: ann, entryId: b.id, category: "Nope" }))).toBe("CATEGORY_NOT_FOUND");
    const changed = await update.execute({ actor: ann, entryId: b.id, category: "PLAY", note: "fun", endTime: "2026-02-10 10:15:00" });
    expect(changed).toMatchObject({ categoryName: "Play", note: "fun", start: at("2026-02-10 09:00"), end: at("2026-02-10 10:15") });
    const cleared = await update.execute({ actor: ann, entryId: b.id, note: null });
    expect(cleared.note).toBeNull();
    // Moving an entry onto its own old time is not an overlap with itself.
    expect(await codeOf(update.execute({ actor: ann, entryId: a.id, startTime: "2026-02-10 08:15:00" }))).toBe("none");
  });

  it("deletes an entry", async () => {
    const e = await entry(ann, "2026-02-10 08:00:00", "2026-02-10 09:00:00");
    await new DeleteTimeEntry(store.settings, store.transactor).execute({ actor: ann, entryId: e.id });
    expect(await store.entries.findById(e.id)).toBeNull();
  });

  describe("lists", () => {
    it("refuse an unknown user (404) and someone else's entries (403)", async () => {
      const list = new ListEntries(store.users, store.categories, store.entries, store.teams, store.tags);
      expect(await codeOf(list.execute({ actor: ann, username: "nobody", after: null, limit: 10 }))).toBe("USER_NOT_FOUND");
      expect(await codeOf(list.execute({ actor: ann, username: "bob", after: null, limit: 10 }))).toBe("FORBIDDEN");
      expect(await codeOf(list.execute({ actor: ann, username: "ANN", after: null, limit: 10 }))).toBe("none");
    });

    it("need no lookup of the owner when the caller names themself exactly as stored", async () => {
      const lookups = vi.spyOn(store.users, "findByUsername");
      const list = new ListEntries(store.users, store.categories, store.entries, store.teams, store.tags);
      expect((await list.execute({ actor: ann, username: "ann", after: null, limit: 10 })).owner).toEqual(ann);
      expect(lookups).not.toHaveBeenCalled();
      expect((await list.execute({ actor: ann, username: "Ann", after: null, limit: 10 })).owner.id).toBe(ann.id);
      expect(lookups).toHaveBeenCalledTimes(1);
    });

    it("page oldest first and say where the next page starts", async () => {
      const ids: number[] = [];
      for (let h = 0; h < 5; h++) ids.push((await entry(ann, `2026-02-09 0${h}:00:00`, `2026-02-09 0${h}:30:00`)).id);
      const list = new ListEntries(store.users, store.categories, store.entries, store.teams, store.tags);
      const first = await list.execute({ actor: ann, username: "ann", after: null, limit: 3 });
      expect(first.entries.map((e) => e.id)).toEqual(ids.slice(0, 3));
      expect(first.next).toEqual({ start: at("2026-02-09 02:00"), id: ids[2] });
      const second = await list.execute({ actor: ann, username: "ann", after: first.next, limit: 3 });
      expect(second.entries.map((e) => e.id)).toEqual(ids.slice(3));
      expect(second.next).toBeNull();
    });

    it("filter by range and category; an unknown category matches nothing", async () => {
      await entry(ann, "2026-02-09 08:00:00", "2026-02-09 09:00:00");
      const play = await entry(ann, "2026-02-09 10:00:00", "2026-02-09 11:00:00", { category: "Play" });
      const list = new ListEntries(store.users, store.categories, store.entries, store.teams, store.tags);
      const base = { actor: ann, username: "ann", after: null, limit: 10 };
      expect((await list.execute({ ...base, category: "play" })).entries.map((e) => e.id)).toEqual([play.id]);
      expect((await list.execute({ ...base, category: "Nope" })).entries).toEqual([]);
      expect((await list.execute({ ...base, from: "2026-02-09 09:00:00" })).entries.map((e) => e.id)).toEqual([play.id]);
      expect(await codeOf(list.execute({ ...base, from: "2026-02-09 09:00:00", to: "2026-02-09 09:00:00" }))).toBe("VALIDATION_FAILED");
      const exported = await new ExportEntries(store.users, store.categories, store.entries, store.teams, store.tags).execute({ ...base, category: "Nope" });
      const rows = [];
      for await (const row of exported.entries) rows.push(row);
      expect(rows).toEqual([]);
    });
  });
});
