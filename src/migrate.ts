import { openStore } from "./adapters/persistence/open-store.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

/**
 * `npm run migrate`: brings the configured store's schema up to date and exits. The service does
 * the same at start-up; this is for deployments that migrate as a separate step.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`time-tracker: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const store = await openStore(config, logger);
  try {
    logger.info({ storage: config.storage, where: store.description }, `migrating ${store.description}`);
    await store.migrate();
    logger.info("the schema is up to date");
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`time-tracker: migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
