import type { DatabaseProbe } from "./ports/health.js";

export interface Health {
  readonly healthy: boolean;
  readonly database: "up" | "down";
}

export class CheckHealth {
  private inFlight: Promise<Health> | null = null;

  constructor(private readonly database: DatabaseProbe) {}

  /**
   * Concurrent checks share one ping: a burst of /health calls (a load balancer, a monitor, a
   * benchmark) costs the database one round trip, and cannot queue pings behind each other until
   * they time out and report a healthy database as down.
   */
  execute(): Promise<Health> {
    this.inFlight ??= this.ping().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async ping(): Promise<Health> {
    const up = await this.database.ping();
    return { healthy: up, database: up ? "up" : "down" };
  }
}
