import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "../../src/application/ports/store.js";
import { LogEntryBatch } from "../../src/application/log-entry-batch.js";
import { bookingLookups } from "../../src/application/entry-booking.js";
import { LogTimeEntry } from "../../src/application/log-time-entry.js";
import { TagDirectory } from "../../src/application/tag-directory.js";
import { UpdateTimeEntry } from "../../src/application/update-time-entry.js";
import type { User } from "../../src/domain/user.js";
import { FixedClock } from "../support/fakes.js";
import { at } from "../support/names.js";
import { openTestStore } from "../support/stores.js";

describe("tag directory", () => {
  let store: Store;
  let ann: User;
  const clock = new FixedClock(at("2026-02-10 12:00"));

  beforeEach(async () => {
    store = await openTestStore("tag-directory");
    ann = await store.users.add({ username: "ann", passwordHash: "x", createdAt: clock.now() });
    await store.categories.add("Work");
  });
  afterEach(async () => {
    await store.close();
  });

  it("finds existing tags by the name rule and leaves the others missing; what it found it remembers", async () => {
    const [deep] = await store.tags.ensure(["Deep"]);
    const directory = new TagDirectory(store.tags);
    const reads = vi.spyOn(store.tags, "findByNames");

    expect(await directory.lookup(["DEEP", "new"])).toEqual({ ids: [deep?.id], missing: ["new"] });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenLastCalledWith(["DEEP", "new"]);

    // Known now: only the unknown name is read again, until it exists.
    expect(await directory.lookup(["deep", "NEW"])).toEqual({ ids: [deep?.id], missing: ["NEW"] });
    expect(reads).toHaveBeenLastCalledWith(["NEW"]);
    const [made] = await store.tags.ensure(["New"]);
    expect(await directory.lookup(["new", "Deep"])).toEqual({ ids: [made?.id, deep?.id], missing: [] });
    reads.mockClear();
    expect(await directory.lookup(["NEW", "deep"])).toEqual({ ids: [made?.id, deep?.id], missing: [] });
    expect(reads).not.toHaveBeenCalled();
  });

  it("reads a name once while lookups of it are under way (the items of one batch)", async () => {
    const [deep] = await store.tags.ensure(["Deep"]);
    const directory = new TagDirectory(store.tags);
    const reads = vi.spyOn(store.tags, "findByNames");
    const lookups = await Promise.all(Array.from({ length: 50 }, (_, i) => directory.lookup(i % 2 ? ["deep", "none"] : ["NONE"])));
    // Each name read once: "NONE" by the first lookup, "deep" by the second.
    expect(reads.mock.calls).toEqual([[["NONE"]], [["deep"]]]);
    expect(lookups[1]).toEqual({ ids: [deep?.id], missing: ["none"] });
    expect(lookups[0]).toEqual({ ids: [], missing: ["NONE"] });
    // A name not found is not remembered: the next lookup reads it again.
    await directory.lookup(["none"]);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it("past its capacity it starts again from none, and still answers right", async () => {
    const tags = await store.tags.ensure(["a", "b", "c"]);
    const id = (name: string) => tags.find((tag) => tag.name === name)?.id;
    const directory = new TagDirectory(store.tags, 2);
    expect(await directory.lookup(["a", "b", "c"])).toEqual({ ids: [id("a"), id("b"), id("c")], missing: [] });
    expect(await directory.lookup(["c", "a"])).toEqual({ ids: [id("c"), id("a")], missing: [] });
  });

  it("never learns a tag made by a unit of work that rolled back (an atomic batch with a failing item)", async () => {
    const directory = new TagDirectory(store.tags);
    const batch = new LogEntryBatch(bookingLookups(store, clock, directory), store.transactor);
    const outcome = await batch.execute({
      actor: ann,
      atomic: true,
      items: [
        { category: "Work", startTime: "2026-02-09 09:00:00", endTime: "2026-02-09 10:00:00", tags: ["Rolled"] },
        { category: "Work", startTime: "2026-02-09 09:30:00", endTime: "2026-02-09 10:30:00", tags: ["rolled"] },
      ],
    });
    expect(outcome.stored).toBe(false);
    expect(await store.tags.findByName("rolled")).toBeNull();
    expect(await directory.lookup(["ROLLED"])).toEqual({ ids: [], missing: ["ROLLED"] });
    const made = await batch.execute({
      actor: ann,
      atomic: true,
      items: [{ category: "Work", startTime: "2026-02-09 09:00:00", endTime: "2026-02-09 10:00:00", tags: ["ROLLED"] }],
    });
    expect(made.results).toEqual([{ entry: expect.objectContaining({ tags: ["ROLLED"] }) }]);
  });

  it("a refused write leaves no tag for it to find; later writes make the tag, then reuse it", async () => {
    const directory = new TagDirectory(store.tags);
    const log = new LogTimeEntry(bookingLookups(store, clock, directory), store.transactor);
    const entry = (start: string, end: string, tags: string[]) =>
      log.execute({ actor: ann, category: "work", startTime: start, endTime: end, tags });

    await entry("2026-02-10 09:00:00", "2026-02-10 10:00:00", ["old"]);
    await expect(entry("2026-02-10 09:30:00", "2026-02-10 10:30:00", ["Fresh", "old"])).rejects.toMatchObject({
      code: "ENTRY_OVERLAP",
    });
    expect(await store.tags.findByName("fresh")).toBeNull();
    expect(await directory.lookup(["fresh"])).toEqual({ ids: [], missing: ["fresh"] });

    const stored = await entry("2026-02-10 10:00:00", "2026-02-10 11:00:00", ["FRESH", "OLD"]);
    expect(stored.tags).toEqual(["FRESH", "old"]);
    const again = await entry("2026-02-10 11:00:00", "2026-02-10 11:30:00", ["fresh"]);
    expect(again.tags).toEqual(["FRESH"]);
    const update = new UpdateTimeEntry(store.categories, store.settings, store.transactor, clock, directory);
    const updated = await update.execute({ actor: ann, entryId: again.id, tags: ["Old", "other"] });
    expect(updated.tags).toEqual(["old", "other"]);
  });
});
