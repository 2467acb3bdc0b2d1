import { describe, expect, it } from "vitest";
import { openTestStore } from "../support/stores.js";
import { PurgeExpiredSessions } from "../../src/application/purge-expired-sessions.js";
import { FixedClock } from "../support/fakes.js";
import { at } from "../support/names.js";

describe("PurgeExpiredSessions", () => {
  it("deletes expired sessions and keeps live ones", async () => {
    const store = await openTestStore();
    const clock = new FixedClock(at("2026-02-10 12:00"));
    const user = await store.users.add({ username: "ann", passwordHash: "x", createdAt: clock.now() });
    await store.sessions.add({ tokenHash: "a".repeat(64), userId: user.id, createdAt: at("2026-02-09 11:00"), expiresAt: at("2026-02-10 11:00") });
    await store.sessions.add({ tokenHash: "b".repeat(64), userId: user.id, createdAt: at("2026-02-10 11:00"), expiresAt: at("2026-02-11 11:00") });
    expect(await new PurgeExpiredSessions(store.sessions, clock).execute()).toBe(1);
    expect(await store.sessions.remove("a".repeat(64))).toBe(false);
    expect(await store.sessions.findUser("b".repeat(64), clock.now())).toEqual(user);
  });
});
