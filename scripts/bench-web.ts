/**
 * The web app's performance, measured in headless Chromium against the real service on SQLite
 * on this machine, and printed (never asserted: the machine may be shared). `npm run bench:web`.
 *   - first-load JavaScript, gzipped (the scripts index.html loads);
 *   - time to interactive: navigation start until the sign-in form takes input, fresh profile;
 *   - Start → running timer: a click on Start until the element with role timer is in the page.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startWebRig } from "../test/web/browser.js";

const WEB = join(import.meta.dirname, "..", "dist", "web");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const html = readFileSync(join(WEB, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1] as string);
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(WEB, file)), { level: 9 }).length, 0);

  const rig = await startWebRig();
  try {
    const loads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await rig.newPage();
      const started = Date.now();
      await page.goto(rig.url, { waitUntil: "commit" });
      await page.getByLabel("Username").waitFor();
      await page.getByLabel("Username").fill("x");
      loads.push(Date.now() - started);
      await page.close();
    }

    const page = await rig.newPage();
    await page.goto(rig.url);
    await page.getByLabel("Username").fill("bench");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByLabel("Category").fill("Bench");
    await page.evaluate("globalThis.__name = (f) => f");
    const clicks: number[] = [];
    for (let i = 0; i < 7; i++) {
      await page.getByRole("button", { name: "Start" }).waitFor();
      // Runs in the page, as a string: the script's own types have no DOM.
      const ms = await page.evaluate<number>(`new Promise((resolve) => {
        const start = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Start");
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector('[role="timer"]')) {
            observer.disconnect();
            resolve(performance.now() - t0);
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
        start.click();
      })`);
      clicks.push(ms);
      await page.waitForTimeout(1100);
      await page.getByRole("button", { name: "Stop" }).click();
    }

    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
    process.stdout.write(
      [
        `first-load JavaScript: ${kb(gzipped)} gzipped (${scripts.length} file${scripts.length === 1 ? "" : "s"}; budget 150 kB)`,
        `time to interactive (sign-in form takes input), median of ${loads.length}: ${median(loads)} ms (all: ${loads.join(", ")} ms; budget 1000 ms)`,
        `Start click → running timer shown, median of ${clicks.length}: ${median(clicks).toFixed(1)} ms (max ${Math.max(...clicks).toFixed(1)} ms; budget 100 ms)`,
        "",
      ].join("\n"),
    );
  } finally {
    await rig.close();
  }
}

await main();
