import type { DatabaseProbe } from "./ports/health.js";

export interface Health {
  readonly healthy: boolean;
  readonly database: "up" | "down";
}

export class CheckHealth {
  constructor(private readonly database: DatabaseProbe) {}

  async execute(): Promise<Health> {
    const up = await this.database.ping();
    return { healthy: up, database: up ? "up" : "down" };
  }
}
