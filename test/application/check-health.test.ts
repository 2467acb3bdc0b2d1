import { describe, expect, it } from "vitest";
import { CheckHealth } from "../../src/application/check-health.js";

describe("CheckHealth", () => {
  it("reports the database up or down", async () => {
    let up = true;
    const check = new CheckHealth({ ping: async () => up });
    expect(await check.execute()).toEqual({ healthy: true, database: "up" });
    up = false;
    expect(await check.execute()).toEqual({ healthy: false, database: "down" });
  });

  it("lets concurrent checks share one ping, and pings afresh afterwards", async () => {
    let pings = 0;
    let release: (up: boolean) => void = () => {};
    const check = new CheckHealth({
      ping: () => {
        pings++;
        return new Promise<boolean>((resolve) => (release = resolve));
      },
    });
    const burst = Array.from({ length: 32 }, () => check.execute());
    release(true);
    expect(await Promise.all(burst)).toEqual(Array(32).fill({ healthy: true, database: "up" }));
    expect(pings).toBe(1);
    const next = check.execute();
    release(false);
    expect(await next).toEqual({ healthy: false, database: "down" });
    expect(pings).toBe(2);
  });
});
