/**
 * Writes a PNG of every screen of the web app to docs/screenshots/, from the real service on a
 * fresh SQLite file in headless Chromium, with a week of sample entries. `npm run screenshots`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startWebRig } from "../test/web/browser.js";

const OUT = join(import.meta.dirname, "..", "docs", "screenshots");

async function signUp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Username").fill("ada");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

/** A few days of entries before today, made through the API with the page's own session. */
async function sampleEntries(page: Page): Promise<void> {
  // tsx keeps function names with a helper the page does not have.
  await page.evaluate("globalThis.__name = (f) => f");
  await page.evaluate(async () => {
    const headers = { "content-type": "application/json", "x-requested-with": "time-tracker-web" };
    const post = (path: string, body: unknown) => fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
    for (const name of ["Writing", "Meetings", "Research", "Email"]) await post("/category", { name });
    const plan: [number, number, number, string, string][] = [
      [1, 9, 120, "Writing", "Chapter 3 draft"],
      [1, 11.5, 45, "Meetings", "Stand-up and planning"],
      [1, 14, 90, "Research", "Sources for chapter 4"],
      [2, 8.5, 150, "Writing", "Chapter 3 edits"],
      [2, 13, 60, "Email", ""],
      [2, 22.5, 120, "Research", "Late reading (crosses midnight)"],
      [3, 10, 75, "Meetings", "Review with editor"],
      [3, 13.5, 100, "Writing", "Chapter 4 outline"],
      [4, 9, 60, "Email", ""],
    ];
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    for (const [daysAgo, hour, minutes, category, note] of plan) {
      const start = new Date(today.getTime() - daysAgo * 86_400_000 + hour * 3_600_000);
      const end = new Date(start.getTime() + minutes * 60_000);
      const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
      await post("/entry", { category, start_time: iso(start), end_time: iso(end), ...(note ? { note } : {}) });
    }
    await post("/entry", { category: "Writing", start_time: new Date(Date.now() - 47 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"), note: "Chapter 4" });
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rig = await startWebRig();
  try {
    const page = await rig.newPage({ width: 1100, height: 760 });
    await page.goto(rig.url);
    await page.getByLabel("Username").waitFor();
    await page.screenshot({ path: join(OUT, "sign-in.png") });
    await signUp(page, rig.url);
    await sampleEntries(page);
    await page.reload();
    await page.getByRole("timer").waitFor();
    await page.screenshot({ path: join(OUT, "timer.png") });
    for (const [link, file] of [
      ["Entries", "entries.png"],
      ["Week", "week.png"],
      ["Reports", "reports.png"],
    ] as const) {
      await page.getByRole("navigation").getByRole("link", { name: link }).click();
      await page.getByRole("heading", { level: 1 }).waitFor();
      if (link === "Entries") await page.getByRole("button", { name: "Edit" }).first().waitFor();
      if (link === "Week") await page.getByRole("table", { name: /Timesheet/ }).getByRole("rowheader").first().waitFor();
      if (link === "Reports") await page.getByRole("img").first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, file), fullPage: link !== "Week" });
    }
    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    await phone.goto(`${rig.url}/timer`);
    await phone.getByRole("timer").waitFor();
    await phone.screenshot({ path: join(OUT, "timer-phone-dark.png") });
    process.stdout.write(`screenshots written to ${OUT}\n`);
  } finally {
    await rig.close();
  }
}

await main();
