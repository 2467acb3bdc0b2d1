import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const WEB = join(ROOT, "web");
const BUILT = join(ROOT, "dist", "web", "index.html");

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The browser tests (and the static-serving checks) need the built web app: build it once per
 * run when dist/web is missing or older than web/, so `npm test` works on a fresh clone.
 */
export default function setup(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newest(WEB)) return;
  const vite = join(ROOT, "node_modules", "vite", "bin", "vite.js");
  execFileSync(process.execPath, [vite, "build", "--config", join(WEB, "vite.config.ts"), "--logLevel", "warn"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
