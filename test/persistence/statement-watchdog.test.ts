import { describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import { StatementWatchdog } from "../../src/adapters/persistence/mysql/statement-watchdog.js";

function connection() {
  return {
    destroyed: 0,
    destroy() {
      this.destroyed++;
    },
  };
}

describe("StatementWatchdog", () => {
  it("fails a statement that does not answer within the limit and destroys its connection", async () => {
    const watchdog = new StatementWatchdog(40);
    const silent = connection();
    const started = performance.now();
    const outcome = await watchdog.watch(silent, new Promise<never>(() => undefined)).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(StoreUnavailable);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(silent.destroyed).toBe(1);
    watchdog.close();
  });

  it("passes answers and errors through untouched, and leaves their connections alone", async () => {
    const watchdog = new StatementWatchdog(40);
    const answering = connection();
    expect(await watchdog.watch(answering, Promise.resolve(42))).toBe(42);
    const failure = new Error("ER_PARSE_ERROR");
    await expect(watchdog.watch(answering, Promise.reject(failure))).rejects.toBe(failure);
    // Well past the limit: nothing fires for statements that settled.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(answering.destroyed).toBe(0);
    watchdog.close();
  });

  it("fails only the statements past the limit", async () => {
    let now = 0;
    const watchdog = new StatementWatchdog(1_000, () => now);
    const old = connection();
    const young = connection();
    const oldOutcome = watchdog.watch(old, new Promise<never>(() => undefined)).catch((error: unknown) => error);
    now = 600;
    const youngOutcome = watchdog.watch(young, new Promise<never>(() => undefined));
    now = 1_100;
    // The check runs every quarter of the limit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await oldOutcome).toBeInstanceOf(StoreUnavailable);
    expect(old.destroyed).toBe(1);
    expect(young.destroyed).toBe(0);
    watchdog.close();
    void youngOutcome.catch(() => undefined);
  });
});
