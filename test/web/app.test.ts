import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible as expectAccessibleOn, runBrowserTests, startWebRig, type WebRig } from "./browser.js";

/** One person's whole day in the app, in Chromium, against the real service on SQLite. */
describe.runIf(runBrowserTests)("the web app in a browser", () => {
  let rig: WebRig;
  let page: Page & { problems: string[] };
  const username = `web_${Date.now().toString(36)}`;
  const password = "correct horse battery";

  beforeAll(async () => {
    rig = await startWebRig();
    page = await rig.newPage();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  const expectAccessible = (screen: string) => expectAccessibleOn(page, screen);

  it("creates an account, logs out and logs in again", async () => {
    await page.goto(rig.url);
    await page.getByLabel("Username").waitFor();
    await expectAccessible("sign-in");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    // The first account of an instance is its owner, who also has Team and Admin.
    const nav = page.getByRole("navigation");
    for (const name of ["Timer", "Entries", "Week", "Reports", "Import", "Team", "Admin"]) await nav.getByRole("link", { name, exact: true }).waitFor();
    expect(await nav.getByRole("link").count()).toBe(7);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();
    // The session is a cookie no script can read.
    expect(await page.evaluate<string>("document.cookie")).toBe("");
    const cookies = await rig.context.cookies(rig.url);
    expect(cookies.find((c) => c.name === "tt_session")).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });
  });

  it("starts and stops the timer, which survives a reload and shows in the tab title", async () => {
    await page.getByLabel("Category").fill("Writing");
    await page.getByLabel("Note").fill("chapter one");
    await page.getByRole("button", { name: "Start" }).click();
    const timer = page.getByRole("timer");
    await timer.waitFor();
    await expectAccessible("timer (running)");
    await page.reload();
    await page.getByRole("timer").waitFor();
    await expect.poll(() => page.title()).toMatch(/^\d+:\d\d:\d\d Writing/);
    await page.waitForTimeout(1200);
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Start" }).waitFor();
    expect(await page.getByRole("timer").count()).toBe(0);
    await page.getByRole("heading", { name: /^Today: \d+:\d\d$/ }).waitFor();
    await expectAccessible("timer");
  });

  it("starts and stops with Space when no field has focus", async () => {
    await page.getByRole("button", { name: "Writing" }).click();
    await page.locator("body").click({ position: { x: 5, y: 400 } });
    await page.keyboard.press("Space");
    await page.getByRole("timer").waitFor();
    await page.waitForTimeout(1100);
    await page.locator("body").click({ position: { x: 5, y: 400 } });
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Start" }).waitFor();
  });

  it("sets a daily target per category and shows today's progress as a ring, with the time left or over", async () => {
    await page.getByRole("button", { name: "Set daily targets" }).click();
    const form = page.getByRole("dialog", { name: "Daily targets" });
    await form.getByLabel("Add a target for").selectOption({ label: "Writing" });
    await form.getByLabel("Target (h:mm)").fill("2:30");
    await expectAccessible("timer (daily targets form)");
    await form.getByRole("button", { name: "Save" }).click();
    // A few seconds of Writing today: the ring says so, and nearly all of the target is left.
    await page.getByRole("img", { name: "Writing: 0:00 of 2:30" }).waitFor();
    await page.getByText("2:30 left").waitFor();
    await expectAccessible("timer (daily targets)");

    // Two minutes of Email today, ended two minutes ago (so after local midnight: a run that starts just after it waits for 00:05).
    await page.evaluate("globalThis.__name = (f) => f");
    const waitMs = await page.evaluate<number>(`(() => {
      const now = new Date();
      const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
      return Math.max(0, midnight.getTime() + 5 * 60000 - now.getTime());
    })()`);
    if (waitMs > 0) await page.waitForTimeout(waitMs);
    const made = await page.evaluate<number>(`(async () => {
      const headers = { "content-type": "application/json", "x-requested-with": "time-tracker-web" };
      await fetch("/category", { method: "POST", headers, body: JSON.stringify({ name: "Email" }) });
      const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const body = { category: "Email", start_time: iso(Date.now() - 4 * 60000), end_time: iso(Date.now() - 2 * 60000), note: "catch-up" };
      return (await fetch("/entry", { method: "POST", headers, body: JSON.stringify(body) })).status;
    })()`);
    expect(made).toBe(201);
    await page.reload();
    await page.getByRole("button", { name: "Set daily targets" }).click();
    // A bad time is refused in the form; then Writing changes and Email gets a target of one minute.
    await form.getByLabel("Writing (h:mm)").fill("1:75");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/^Writing: type the target as h:mm/);
    await form.getByLabel("Writing (h:mm)").fill("1");
    await form.getByLabel("Add a target for").selectOption({ label: "Email" });
    await form.getByLabel("Target (h:mm)").fill("0:01");
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByRole("img", { name: "Email: 0:02 of 0:01" }).waitFor();
    await page.getByText("0:01 over target").waitFor();
    await page.getByRole("img", { name: "Writing: 0:00 of 1:00" }).waitFor();
    const stored = (await page.evaluate(`fetch("/me/preferences").then((r) => r.json())`)) as { daily_targets: { seconds: number }[] };
    expect(stored.daily_targets.map((t) => t.seconds).sort((a, b) => a - b)).toEqual([60, 3600]);

    // Removing one drops it.
    await page.getByRole("button", { name: "Set daily targets" }).click();
    await form.getByRole("button", { name: "Remove the target for Email" }).click();
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByRole("img", { name: /^Email: / }).count()).toBe(0);
  }, 420_000);

  it("lists the entries, edits one and deletes one through the dialog", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Entries" }).click();
    const rows = page.getByRole("row").filter({ hasText: "Writing" });
    await expect.poll(() => rows.count()).toBe(2);
    await expectAccessible("entries");
    const first = rows.filter({ hasText: "chapter one" });
    await first.getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("dialog");
    await form.getByLabel("Note").fill("chapter one, revised");
    await expectAccessible("entries (edit form)");
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByRole("row").filter({ hasText: "chapter one, revised" }).waitFor();

    // The other Writing entry goes, after the dialog asks.
    const other = page.getByRole("row").filter({ hasText: "Writing" }).filter({ hasNotText: "revised" });
    await other.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await expectAccessible("entries (delete dialog)");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.getByRole("row").filter({ hasText: "Writing" }).count()).toBe(1);
  });

  it("adds an entry with New entry, and shows the API's refusal next to the form", async () => {
    await page.getByRole("button", { name: "New entry" }).click();
    const form = page.getByRole("dialog");
    await form.getByLabel("Category").fill("Meetings");
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    // The browser runs in Europe/Berlin; times go in as that zone's wall clock.
    const berlin = (d: Date) => new Date(d.toLocaleString("en-US", { timeZone: "Europe/Berlin" }));
    const end = berlin(new Date(Date.now() - 2 * 3600_000));
    const start = new Date(end.getTime() - 3600_000);
    await form.getByLabel("Start").fill(local(end));
    await form.getByLabel("End").fill(local(start));
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByRole("alert").textContent()).toMatch(/end|after|before/i);
    await form.getByLabel("Start").fill(local(start));
    await form.getByLabel("End").fill(local(end));
    await form.getByLabel("Note").fill("standup");
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByRole("row").filter({ hasText: "standup" }).waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("shows the week with the entries as blocks and a timesheet", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Week" }).click();
    await page.getByRole("heading", { name: /^Week of / }).waitFor();
    await page.getByRole("group", { name: "Calendar" }).getByText(/Meetings/).first().waitFor();
    const sheet = page.getByRole("table", { name: /Timesheet/ });
    await sheet.getByRole("rowheader", { name: "Meetings" }).waitFor();
    await sheet.getByRole("rowheader", { name: "Writing" }).waitFor();
    expect(await sheet.getByRole("columnheader").count()).toBe(9);
    await expectAccessible("week");
    const heading = await page.getByRole("heading", { name: /^Week of / }).textContent();
    await page.getByRole("button", { name: "Previous week" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^Week of / }).textContent()).not.toBe(heading);
    await page.getByRole("button", { name: "Today" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^Week of / }).textContent()).toBe(heading);
  });

  it("reports the hours as a chart and a table, and downloads the range as CSV", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Reports" }).click();
    await page.getByLabel("Group by").selectOption("category");
    await page.getByRole("button", { name: "This year" }).click();
    const chart = page.getByRole("img", { name: /^Hours by category, / });
    await chart.waitFor();
    const table = page.getByRole("table", { name: /^Hours by category, / });
    await table.getByRole("rowheader", { name: "Meetings" }).waitFor();
    expect(await table.getByRole("row").filter({ hasText: "Meetings" }).textContent()).toContain("1:00");
    await page.getByRole("img", { name: /^Share of hours by category/ }).waitFor();
    expect(await page.getByLabel("From").inputValue()).toMatch(/^\d{4}-01-01$/);
    await expectAccessible("reports");

    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(href).toMatch(/format=csv/);
    const csv = await page.evaluate(async (url) => (await fetch(url, { credentials: "same-origin" })).text(), href as string);
    // The seed's seven columns first; part 2 appends its own after them.
    expect(csv.split(/\r?\n/)[0]).toMatch(/^id,username,category,start_time,end_time,duration_seconds,note(,|$)/);
    expect(csv).toContain("standup");
  });

  it("logs out, back to the sign-in form, and the session no longer works", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    const status = await page.evaluate(async () => (await fetch("/me")).status);
    expect(status).toBe(401);
  });

  it("loaded with no Content Security Policy violation and no script error", () => {
    expect(page.problems).toEqual([]);
  });
});

describe.runIf(runBrowserTests)("the web app's files over HTTP", () => {
  let rig: WebRig;
  beforeAll(async () => {
    rig = await startWebRig();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it("serves index.html on the app's routes, hashed assets for a year, and no fallback for the API", async () => {
    for (const path of ["/", "/timer", "/entries", "/week", "/reports", "/import", "/team", "/admin", "/account"]) {
      const response = await fetch(`${rig.url}${path}`, { headers: { accept: "text/html" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("cache-control")).toBe("no-cache");
    }
    const html = await (await fetch(rig.url)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${rig.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    for (const path of ["/entries/nobody", "/assets/nope.js", "/timer/x", "/docs.html", "/import"]) {
      const response = await fetch(`${rig.url}${path}`);
      expect(response.status, path).toBe(path === "/entries/nobody" ? 401 : 404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
