import type { Logger } from "pino";
import type { Store } from "../../application/ports/store.js";
import type { Config } from "../../config.js";

/**
 * Opens the store the configuration names. Adapters are imported lazily so a deployment that
 * uses one store never loads the driver of another. `memory` is SQLite's private in-memory
 * database: the same code and rules as the file store, with nothing kept after the process stops.
 */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  switch (config.storage) {
    case "memory":
      return (await import("./sqlite/sqlite-store.js")).SqliteStore.open(":memory:", { logger });
    case "sqlite":
      return (await import("./sqlite/sqlite-store.js")).SqliteStore.open(config.sqlitePath, { logger });
    case "mysql":
      return (await import("./mysql/mysql-store.js")).MySqlStore.open(config.mysql, logger);
  }
}
