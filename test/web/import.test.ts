import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible, runBrowserTests, signIn, startWebRig, type WebRig, localDay as localDayOf } from "./browser.js";

/**
 * Importing a CSV file in the app, in Chromium, against the real service on SQLite: a Toggl
 * export with a bad row is checked by a dry run as soon as it is chosen (and again when a
 * parameter changes), imported with Import, shown in Entries; the same file again is all duplicates.
 */
describe.runIf(runBrowserTests)("the Import screen in a browser", () => {
  let rig: WebRig;
  let page: Page & { problems: string[] };
  const username = `imp_${Date.now().toString(36)}`;
  /** What the page sent to POST /imports. */
  const sent: { url: URL; method: string; headers: Record<string, string> }[] = [];
  let csv = "";

  const TOGGL_HEADER = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)";

  beforeAll(async () => {
    rig = await startWebRig();
    page = await rig.newPage();
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/imports") {
        sent.push({ url, method: request.method(), headers: request.headers() });
      }
    });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  const nav = () => page.getByRole("navigation");
  const preview = () => page.getByRole("region", { name: "Preview of toggl.csv" });
  const file = (buffer: Buffer, name = "toggl.csv") => page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer });
  const localDay = (daysAgo: number) => localDayOf(page, daysAgo);

  it("shows Import in the navigation, between Reports and Team, and opens the screen with its defaults", async () => {
    await page.goto(rig.url);
    await signIn(page, username, { create: true });
    expect((await nav().getByRole("link").allTextContents()).map((t) => t.trim())).toEqual([
      "Timer",
      "Entries",
      "Week",
      "Reports",
      "Import",
      "Team",
      "Admin",
    ]);
    await nav().getByRole("link", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/import");
    expect(await page.title()).toBe("Import — Time Tracker");
    // The format is the header row's, the zone the browser's, the category the API's default.
    expect(await page.getByLabel("Format").inputValue()).toBe("");
    expect(await page.getByLabel("Format").locator("option").allTextContents()).toEqual([
      "Automatic (from the header row)",
      "This service's CSV export",
      "Toggl Track (detailed export)",
      "Clockify (detailed export)",
      "The seed app's template",
    ]);
    expect(await page.getByLabel("Time zone of the file's times").inputValue()).toBe("Europe/Berlin");
    expect(await page.getByLabel("Category for Toggl and Clockify rows").inputValue()).toBe("Imported");
    expect(await page.getByLabel("All or nothing").isChecked()).toBe(false);
    await expectAccessible(page, "import");
    // A reload of /import serves the app there.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
  });

  it("checks a chosen file with a dry run and previews it: format, counts, what it creates, the bad row", async () => {
    const [d3, d2, d1] = [await localDay(3), await localDay(2), await localDay(1)];
    csv = [
      TOGGL_HEADER,
      `Ann,ann@example.com,Acme,Website,,Homepage layout,Yes,${d3},09:00:00,${d3},10:30:00,01:30:00,"design, client",135.00`,
      `Ann,ann@example.com,,,,Inbox,No,${d2},11:00:00,${d2},11:15:00,00:15:00,,0.00`,
      `Ann,ann@example.com,,,,Broken,No,not a date,11:00:00,${d2},11:15:00,00:15:00,,0.00`,
      `Ann,ann@example.com,Acme,Website,,Review,Yes,${d1},14:00:00,${d1},15:00:00,01:00:00,design,90.00`,
      "",
    ].join("\n");
    await file(Buffer.from(csv));
    await preview().waitFor();
    expect(await preview().getByRole("status").textContent()).toBe("Would import 3 entries; 1 row would fail");
    const counts = await preview().locator("dl").textContent();
    expect(counts).toBe("FormatToggl TrackRows4To create3Duplicates0Failed1");
    // The first account is the owner, so the project and its client are made too.
    expect(await preview().getByRole("list").textContent()).toMatch(/Categories: Imported.*Projects: Website.*Tags: client, design/);
    const table = preview().getByRole("table", { name: "Rows with errors or warnings" });
    const rows = (await table.getByRole("row").allTextContents()).slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^4Error.+/);
    await expectAccessible(page, "import (preview)");

    // One dry run with the file as a text/csv body (its four rows were read), marked as the web app's.
    expect(sent).toHaveLength(1);
    const [dry] = sent;
    expect(dry?.method).toBe("POST");
    expect(Object.fromEntries(dry?.url.searchParams ?? [])).toEqual({ format: "auto", tz: "Europe/Berlin", category: "Imported", dry_run: "true" });
    expect(dry?.headers["content-type"]).toBe("text/csv");
    expect(dry?.headers["x-requested-with"]).toBe("time-tracker-web");
    // Nothing was stored.
    expect(await page.evaluate(`fetch("/entries/${username}").then((r) => r.json()).then((b) => b.entries.length)`)).toBe(0);
  });

  it("runs the dry run again when a parameter changes, and shows a refusal with the API's code", async () => {
    const before = sent.length;
    await page.getByLabel("Category for Toggl and Clockify rows").fill("Client work");
    await page.getByLabel("Category for Toggl and Clockify rows").press("Tab");
    await expect.poll(() => preview().getByRole("list").textContent()).toMatch(/Categories: Client work/);
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)?.url.searchParams.get("category")).toBe("Client work");

    // All or nothing with a failing row: 422 BATCH_FAILED, its report still shown, Import not offered.
    await page.getByLabel("All or nothing").check();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/1 of 4 rows failed.*\(422 BATCH_FAILED\)/);
    expect(sent.at(-1)?.url.searchParams.get("atomic")).toBe("true");
    await preview().waitFor();
    expect(await preview().getByRole("button", { name: "Import" }).isDisabled()).toBe(true);
    await expectAccessible(page, "import (all or nothing refused)");
    await page.getByLabel("All or nothing").uncheck();
    await expect.poll(() => page.getByRole("alert").count()).toBe(0);
    expect(await preview().getByRole("button", { name: "Import" }).isEnabled()).toBe(true);

    // A named format the file is not: 400, no preview.
    await page.getByLabel("Format").selectOption({ label: "Clockify (detailed export)" });
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/\(400 VALIDATION_FAILED\)$/);
    expect(await preview().count()).toBe(0);
    await page.getByLabel("Format").selectOption({ label: "Toggl Track (detailed export)" });
    await preview().waitFor();
    expect(sent.at(-1)?.url.searchParams.get("format")).toBe("toggl");
  });

  it("imports with Import, says how many entries it made, and links to Entries, where they are", async () => {
    await preview().getByRole("button", { name: "Import" }).click();
    const result = page.getByRole("region", { name: "Imported toggl.csv" });
    await result.waitFor();
    expect(await result.getByRole("status").textContent()).toBe("Imported 3 entries; 1 row failed");
    expect((await result.getByRole("table").getByRole("row").allTextContents()).slice(1)[0]).toMatch(/^4Error/);
    const last = sent.at(-1);
    expect(Object.fromEntries(last?.url.searchParams ?? [])).toEqual({ format: "toggl", tz: "Europe/Berlin", category: "Client work", dry_run: "false" });
    await expectAccessible(page, "import (result)");

    await result.getByRole("link", { name: "See them in Entries" }).click();
    await page.getByRole("heading", { level: 1, name: "Entries" }).waitFor();
    const entries = page.getByRole("table", { name: /^Time entries/ });
    await expect.poll(async () => (await entries.getByRole("row").count()) - 1).toBe(3);
    const homepage = await entries.getByRole("row").filter({ hasText: "Homepage layout" }).textContent();
    expect(homepage).toMatch(/Client work.*Website \(Acme\).*1:30.*Yes/);
    for (const tag of ["design", "client"]) expect(homepage).toContain(tag);
    expect(await entries.getByRole("row").filter({ hasText: "Inbox" }).textContent()).toMatch(/Client work.*0:15.*No/);
    expect(await entries.getByRole("row").filter({ hasText: "Broken" }).count()).toBe(0);
  });

  it("imports the same file again as duplicates only, creating nothing", async () => {
    await nav().getByRole("link", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
    await page.getByLabel("Category for Toggl and Clockify rows").fill("Client work");
    await page.getByLabel("Category for Toggl and Clockify rows").press("Enter");
    await file(Buffer.from(csv));
    await expect.poll(() => preview().getByRole("status").textContent()).toBe("Would import 0 entries; 3 duplicates would be skipped; 1 row would fail");
    await preview().getByRole("button", { name: "Import" }).click();
    const result = page.getByRole("region", { name: "Imported toggl.csv" });
    await expect.poll(() => result.getByRole("status").textContent()).toBe("Imported 0 entries; 3 duplicates skipped; 1 row failed");
    expect(await page.evaluate(`fetch("/entries/${username}").then((r) => r.json()).then((b) => b.entries.length)`)).toBe(3);
  });

  it("refuses a file over 20 MB in the page, before sending it", async () => {
    const before = sent.length;
    // A file on disk (sparse: only its size matters), which the browser reads no further than its size.
    const dir = mkdtempSync(join(tmpdir(), "tt-import-"));
    const huge = join(dir, "huge.csv");
    writeFileSync(huge, `${TOGGL_HEADER}\n`);
    truncateSync(huge, 20 * 1024 * 1024 + 1);
    await page.getByLabel("CSV file").setInputFiles(huge);
    rmSync(dir, { recursive: true, force: true });
    await expect.poll(() => page.getByRole("alert").textContent()).toBe(
      "huge.csv is 20.1 MB; a file can be at most 20 MB. Split it into smaller files and import them one by one.",
    );
    expect(sent.length).toBe(before);
    expect(await page.getByRole("region", { name: /^Preview of / }).count()).toBe(0);
    await expectAccessible(page, "import (file too big)");
  });

  it("fits the Import screen and its preview on a 360 px phone in dark mode", async () => {
    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    await phone.goto(`${rig.url}/import`);
    await phone.getByLabel("CSV file").setInputFiles({ name: "toggl.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await phone.getByRole("region", { name: "Preview of toggl.csv" }).getByRole("table").waitFor();
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await expectAccessible(phone, "/import (phone, dark)");
    expect(phone.problems).toEqual([]);
    await phone.close();
  });

  it("ran with no Content Security Policy violation and no script error", () => {
    expect(page.problems).toEqual([]);
  });
});
