import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Where `npm run build` puts the web app (vite's outDir), from src/… and from dist/… alike. */
export const WEB_APP_DIR = join(import.meta.dirname, "..", "..", "..", "dist", "web");

/**
 * The app's own client-side routes: each answers index.html. Nothing else falls back to it, and
 * the ones but `/` only to a browser's page load (Accept: text/html): `/entries` and `/reports`
 * are also the stems of API paths, and an API client asking there still gets the 404 problem.
 */
export const WEB_APP_ROUTES = ["/", "/timer", "/entries", "/week", "/reports", "/import", "/team", "/admin", "/account"] as const;

export interface WebAppOptions {
  /** The built app's folder (index.html and assets/). */
  readonly dir?: string;
  /** Whether PUBLIC_URL is https: then the policy also asks to upgrade insecure requests. */
  readonly https: boolean;
}

/**
 * The policy of the app's own pages: its scripts, styles and API calls from this origin only, no
 * inline script or style, images from here or data: URLs (the chart's canvas exports).
 */
export function webAppPolicy(https: boolean): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * Serves the built web app: index.html (never cached, so a new build is picked up at once) on the
 * app's routes, and its content-hashed assets under /assets/ with a year-long immutable cache.
 * Without a build (the API alone, in tests) the app's routes say how to build it.
 */
export async function registerWebApp(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  const dir = options.dir ?? WEB_APP_DIR;
  const policy = webAppPolicy(options.https);
  const indexPath = join(dir, "index.html");
  const built = existsSync(indexPath);
  let index: string | null = null;

  await app.register(async (web) => {
    web.addHook("onSend", async (_request, reply, payload) => {
      reply.header("content-security-policy", policy);
      return payload;
    });
    if (built && existsSync(join(dir, "assets"))) {
      await web.register(fastifyStatic, {
        root: join(dir, "assets"),
        prefix: "/assets/",
        index: false,
        wildcard: true,
        immutable: true,
        maxAge: "365d",
        serveDotFiles: false,
      });
    }
    for (const path of WEB_APP_ROUTES) {
      web.get(path, { schema: { hide: true } }, async (request, reply) => {
        if (path !== "/" && !(request.headers.accept ?? "").includes("text/html")) return reply.callNotFound();
        if (!built) {
          return reply
            .code(503)
            .type("text/plain; charset=utf-8")
            .send("The web app is not built: run `npm run build` (npm start does it), then reload.\n");
        }
        index ??= readFileSync(indexPath, "utf8");
        return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(index);
      });
    }
  });
}
