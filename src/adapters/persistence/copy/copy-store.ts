import type { Logger } from "pino";
import type { Config, MySqlConfig } from "../../../config.js";
import { openStore } from "../open-store.js";
import { copyTables, CopyRefused, type CopiedTable, type CopyOptions } from "./copy-tables.js";
import type { TableAccess } from "./table-access.js";

/** Where a copy reads or writes: a SQLite file or a MySQL database. */
export type StoreLocation = { readonly kind: "sqlite"; readonly path: string } | { readonly kind: "mysql"; readonly mysql: MySqlConfig };

/** `sqlite:<path>` or `mysql://user:password@host:port/database`. */
export function parseLocation(text: string): StoreLocation {
  if (text.startsWith("sqlite:")) {
    const path = text.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "" || path === ":memory:") throw new CopyRefused("sqlite: needs a file path, like sqlite:./data/new.sqlite");
    return { kind: "sqlite", path };
  }
  if (text.startsWith("mysql://")) {
    const url = new URL(text);
    const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
    if (!url.hostname || !database) throw new CopyRefused("mysql:// needs a host and a database, like mysql://user:pass@db:3306/time_tracker");
    return {
      kind: "mysql",
      mysql: {
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port ? Number(url.port) : 3306,
        user: decodeURIComponent(url.username || "root"),
        password: decodeURIComponent(url.password),
        database,
        poolSize: 2,
      },
    };
  }
  throw new CopyRefused(`--to must be mysql://user:password@host:port/database or sqlite:<path> (got "${text}")`);
}

/** The configured store as a location; STORAGE=memory has nothing to copy. */
export function configuredLocation(config: Config): StoreLocation {
  if (config.storage === "memory") throw new CopyRefused("STORAGE=memory keeps nothing to copy");
  return config.storage === "sqlite" ? { kind: "sqlite", path: config.sqlitePath } : { kind: "mysql", mysql: config.mysql };
}

async function migrated(location: StoreLocation, config: Config, logger: Logger): Promise<TableAccess> {
  const store = await openStore(
    location.kind === "sqlite" ? { ...config, storage: "sqlite", sqlitePath: location.path } : { ...config, storage: "mysql", mysql: location.mysql },
    logger,
  );
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  if (location.kind === "sqlite") return new (await import("./sqlite-tables.js")).SqliteTables(location.path);
  return (await import("./mysql-tables.js")).MySqlTables.open(location.mysql);
}

/**
 * Migrates both stores to this build's schema (the target is created if need be), then copies
 * every table (see copyTables) and verifies it.
 */
export async function copyStore(
  from: StoreLocation,
  to: StoreLocation,
  config: Config,
  logger: Logger,
  options: CopyOptions = {},
): Promise<CopiedTable[]> {
  if (from.kind === to.kind && JSON.stringify(from) === JSON.stringify(to)) throw new CopyRefused("the target is the configured store itself");
  const source = await migrated(from, config, logger);
  try {
    const target = await migrated(to, config, logger);
    try {
      return await copyTables(source, target, options);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
