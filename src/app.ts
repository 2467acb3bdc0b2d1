import type { FastifyBaseLogger } from "fastify";
import { createHttpApp, type HttpApp } from "./adapters/http/http-app.js";
import type { Store } from "./application/ports/store.js";
import { loadConfig, type Config } from "./config.js";
import { buildContainer, resolveUseCases, type Overrides } from "./container.js";

export interface BuildAppOptions {
  readonly store: Store;
  /** Defaults to the configuration of an empty environment. */
  readonly config?: Config;
  readonly logger?: FastifyBaseLogger | false;
  readonly overrides?: Overrides;
}

/** A whole app on the given store; closing the app closes the store. */
export async function buildApp(options: BuildAppOptions): Promise<HttpApp> {
  const config = options.config ?? loadConfig({ STORAGE: "memory" });
  const container = buildContainer(config, options.store, options.overrides);
  const app = await createHttpApp({
    useCases: resolveUseCases(container),
    logger: options.logger ?? false,
    registerPerHour: config.rateLimit.registerPerHour,
    corsOrigins: config.corsOrigins,
  });
  app.addHook("onClose", async () => {
    await options.store.close();
  });
  return app;
}
