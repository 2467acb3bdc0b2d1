import "reflect-metadata";
import { parseArgs } from "node:util";
import { configuredLocation, copyStore, parseLocation } from "./adapters/persistence/copy/copy-store.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

/**
 * `npm run copy-store -- --to <mysql://user:pass@host:port/db | sqlite:path>`: copies everything
 * in the configured store (STORAGE, SQLITE_PATH, DB_*) into an empty one, ids and auto-increment
 * counters kept, each table's row count and checksum verified. Stop the service first (or copy
 * from a backup): rows written during the copy would not be in it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { to: { type: "string" } }, strict: true });
  if (!values.to) throw new Error("usage: npm run copy-store -- --to <mysql://user:pass@host:port/db | sqlite:path>");
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`configuration error: ${error.message}`);
    throw error;
  }
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const target = parseLocation(values.to);
  const report = await copyStore(configuredLocation(config), target, config, logger, {
    log: (line) => process.stdout.write(`${line}\n`),
  });
  for (const table of report) process.stdout.write(`verified ${table.name}: ${table.rows} row(s), sha256 ${table.checksum.slice(0, 16)}\n`);
  process.stdout.write(`copied ${report.length} tables into ${values.to.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`time-tracker: copy-store failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
