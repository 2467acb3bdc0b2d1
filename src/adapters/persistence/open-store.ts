import type { Logger } from "pino";
import type { Store } from "../../application/ports/store.js";
import type { Config } from "../../config.js";
import { MemoryStore } from "./memory/memory-store.js";

/**
 * Opens the store the configuration names. Adapters are imported lazily so a deployment that
 * uses one store never loads the driver of another.
 */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  switch (config.storage) {
    case "memory":
      return new MemoryStore();
    case "sqlite":
      throw new Error("STORAGE=sqlite is not available yet");
    case "mysql":
      throw new Error("STORAGE=mysql is not available yet");
  }
}
