import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { callService } from "../support/service-process.js";
import { expectAccessible, logOut, openAdminTab, PASSWORD as password, runBrowserTests, signIn, startWebRig, type WebRig, localDay as localDayOf } from "./browser.js";

/**
 * Billable time in the app, in Chromium, against the real service on SQLite: the owner makes a
 * client and a project with a rate; a member books time on it with tags and sees what it earned;
 * reports by project and for a lead's team; the locked period refuses a member's old entry.
 */
describe.runIf(runBrowserTests)("clients, projects, tags and billable time in a browser", () => {
  let rig: WebRig;
  let page: Page & { problems: string[] };
  const stamp = Date.now().toString(36);
  const owner = `ana_${stamp}`;
  const member = `max_${stamp}`;
  const lead = `lea_${stamp}`;
  /** What the member's timer entry earned, in cents (a few seconds at 90.00 an hour). */
  let timerCents = 0;

  beforeAll(async () => {
    rig = await startWebRig();
    page = await rig.newPage();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  const nav = () => page.getByRole("navigation");
  const row = (name: string | RegExp) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  const entryRow = (text: string) => page.getByRole("row").filter({ hasText: text });
  const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

  async function open(link: string): Promise<void> {
    await nav().getByRole("link", { name: link, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: new RegExp(`^${link}`) }).waitFor();
  }

  const localDay = (daysAgo: number) => localDayOf(page, daysAgo);

  it("lets an admin create a client and a project with a rate, and shows a name in use as the API's refusal", async () => {
    await page.goto(rig.url);
    await signIn(page, owner, { create: true });
    await openAdminTab(page, "Clients");
    for (const name of ["Acme", "Old Co"]) {
      await page.getByLabel("Client name").fill(name);
      await page.getByRole("button", { name: "Create client" }).click();
      await row(name).waitFor();
    }
    await page.getByLabel("Client name").fill("acme");
    await page.getByRole("button", { name: "Create client" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/409 CLIENT_NAME_TAKEN/);
    // Archived clients leave the list unless asked for.
    await row("Old Co").getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => row("Old Co").count()).toBe(0);
    await page.getByLabel("Show archived").check();
    await expect.poll(() => row("Old Co").textContent()).toContain("Archived");
    await row("Old Co").getByRole("button", { name: "Rename" }).click();
    await page.getByRole("dialog").getByLabel("Client name").fill("Old Company");
    await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await row("Old Company").waitFor();
    await expectAccessible(page, "admin (clients)");

    await openAdminTab(page, "Projects");
    await page.getByRole("button", { name: "New project" }).click();
    const form = page.getByRole("dialog", { name: "New project" });
    await form.getByLabel("Name").fill("Website");
    // An archived client is not offered for a new project.
    await expect.poll(() => form.getByLabel("Client").locator("option").allTextContents()).toEqual(["No client", "Acme"]);
    await form.getByLabel("Client").selectOption({ label: "Acme" });
    await form.getByLabel("Colour", { exact: true }).fill("#2a9d6a");
    expect(await form.getByLabel("Billable by default").isChecked()).toBe(true);
    await form.getByLabel("Hourly rate (EUR)").fill("90");
    await expectAccessible(page, "admin (new project)");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row("Website").textContent()).toMatch(/Acme.*Yes.*€90\.00 \/ h.*Active/);

    // The same name under the same client is refused, in the form.
    await page.getByRole("button", { name: "New project" }).click();
    await form.getByLabel("Name").fill("website");
    await form.getByLabel("Client").selectOption({ label: "Acme" });
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/409 PROJECT_NAME_TAKEN/);
    // Under no client it is another project, which is then archived.
    await form.getByLabel("Name").fill("Legacy");
    await form.getByLabel("Client").selectOption({ label: "No client" });
    await form.getByRole("button", { name: "Save" }).click();
    await row("Legacy").getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Legacy" });
    await edit.getByLabel("Archived").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row("Legacy").count()).toBe(0);
    await page.getByLabel("Only client").selectOption({ label: "Acme" });
    await page.getByLabel("Show archived").check();
    await expect.poll(() => page.getByRole("table", { name: "Projects" }).getByRole("rowheader").allTextContents()).toEqual(["Website"]);

    const stored = (await page.evaluate(`fetch("/projects").then((r) => r.json())`)) as { projects: Record<string, unknown>[] };
    expect(stored.projects).toEqual([expect.objectContaining({ name: "Website", client: "Acme", color: "#2a9d6a", billable: true, hourly_rate_cents: 9000 })]);
    await logOut(page);
  });

  it("lets a member start a timer on the project with two tags, stop it, and see project, tags and amount in Entries", async () => {
    expect((await callService(rig.url, "POST", "/register", { username: member, password })).status).toBe(201);
    await signIn(page, member);
    // The Timer's fields, by their exact names.
    for (const name of ["Category", "Project", "Tags", "Note"]) await page.getByLabel(name, { exact: true }).waitFor();
    await page.getByLabel("Category", { exact: true }).fill("Design");
    const project = page.getByLabel("Project", { exact: true });
    // Archived projects are not offered; a project shows its client.
    await expect.poll(() => project.locator("option").allTextContents()).toEqual(["No project", "Website (Acme)"]);
    expect(await page.getByLabel("Billable").isChecked()).toBe(false);
    await project.selectOption({ label: "Website (Acme)" });
    expect(await page.getByLabel("Billable").isChecked()).toBe(true);
    const tags = page.getByLabel("Tags", { exact: true });
    await tags.fill("client call");
    await tags.press("Enter");
    await tags.fill("design");
    await page.getByRole("button", { name: "Remove tag client call" }).waitFor();
    await expectAccessible(page, "timer (project and tags)");
    // The tag still typed goes with Start.
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("timer").waitFor();
    await page.getByText("Website (Acme)").first().waitFor();
    await page.waitForTimeout(2100);
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Start" }).waitFor();

    const listed = (await page.evaluate(`fetch("/entries/${member}").then((r) => r.json())`)) as { entries: Record<string, any>[] };
    expect(listed.entries).toHaveLength(1);
    const entry = listed.entries[0] as Record<string, any>;
    expect(entry).toMatchObject({ project: "Website", client: "Acme", tags: ["client call", "design"], billable: true, hourly_rate_cents: 9000 });
    timerCents = entry.amount_cents as number;
    expect(timerCents).toBeGreaterThan(0);

    await open("Entries");
    const timerRow = entryRow("Website (Acme)");
    await expect.poll(() => timerRow.textContent()).toMatch(/Design.*Website \(Acme\).*client call.*design.*Yes/);
    await expect.poll(() => timerRow.textContent()).toContain(euros(timerCents));
    await expectAccessible(page, "entries (projects, tags, amounts)");
  });

  it("adds entries with New entry and filters Entries by tag, project and billable", async () => {
    const add = async (fields: { category: string; project?: string; tags?: string; daysAgo: number; note: string }) => {
      await page.getByRole("button", { name: "New entry" }).click();
      const form = page.getByRole("dialog", { name: "New entry" });
      await form.getByLabel("Category").fill(fields.category);
      if (fields.project) await form.getByLabel("Project").selectOption({ label: fields.project });
      if (fields.tags) {
        await form.getByLabel("Tags").fill(fields.tags);
        await form.getByLabel("Tags").press("Enter");
      }
      const day = await localDay(fields.daysAgo);
      await form.getByLabel("Start").fill(`${day}T09:00`);
      await form.getByLabel("End").fill(`${day}T10:30`);
      await form.getByLabel("Note").fill(fields.note);
      await form.getByRole("button", { name: "Save" }).click();
      await entryRow(fields.note).waitFor();
    };
    await add({ category: "Design", project: "Website (Acme)", tags: "design", daysAgo: 20, note: "kick-off" });
    await add({ category: "Admin", daysAgo: 19, note: "paperwork" });
    // 1:30 at 90.00 an hour.
    await expect.poll(() => entryRow("kick-off").textContent()).toMatch(/1:30.*Yes.*€135\.00/);
    await expect.poll(() => entryRow("paperwork").textContent()).toMatch(/1:30No/);

    const notes = async () => (await page.getByRole("table", { name: /^Time entries/ }).getByRole("row").allTextContents()).slice(1);
    await page.getByLabel("Only tag").selectOption("client call");
    await expect.poll(async () => (await notes()).length).toBe(1);
    expect((await notes())[0]).toContain("Website (Acme)");
    await page.getByLabel("Only tag").selectOption("design");
    await expect.poll(async () => (await notes()).length).toBe(2);
    await page.getByLabel("Only tag").selectOption("");
    await page.getByLabel("Billing").selectOption({ label: "Not billable only" });
    await expect.poll(async () => (await notes()).map((text) => text.includes("paperwork"))).toEqual([true]);
    await page.getByLabel("Billing").selectOption("");
    await page.getByLabel("Only project").selectOption({ label: "Website (Acme)" });
    await expect.poll(async () => (await notes()).length).toBe(2);
    await page.getByLabel("Only project").selectOption("");
    await expect.poll(async () => (await notes()).length).toBe(3);
  });

  it("reports by project with billable time and the amount, and a donut by project", async () => {
    await open("Reports");
    // A member sees only their own time: no Whose time, no grouping by user.
    expect(await page.getByLabel("Whose time").count()).toBe(0);
    expect(await page.getByLabel("Group by").locator("option").allTextContents()).not.toContain("User");
    await page.getByLabel("From").fill(await localDay(30));
    await page.getByLabel("To").fill(await localDay(0));
    await page.getByLabel("Group by").selectOption("project");
    const table = page.getByRole("table", { name: /^Hours by project, / });
    await table.getByRole("rowheader", { name: "Website" }).waitFor();
    const website = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Website" }) });
    await expect.poll(() => website.textContent()).toContain(euros(13500 + timerCents));
    const none = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "No project" }) });
    await expect.poll(() => none.textContent()).toMatch(/^No project1:300:00€0\.001$/);
    await expect.poll(() => table.getByRole("row").last().textContent()).toContain(euros(13500 + timerCents));
    await page.getByRole("img", { name: /^Hours by project, / }).waitFor();
    await page.getByLabel("Donut shows").selectOption("project");
    await page.getByRole("img", { name: /^Share of hours by project, / }).waitFor();
    await expectAccessible(page, "reports (by project)");
    await logOut(page);
  });

  it("reports a lead's team by user", async () => {
    expect((await callService(rig.url, "POST", "/register", { username: lead, password })).status).toBe(201);
    const token = (await callService(rig.url, "POST", "/login", { username: owner, password })).json.token as string;
    const team = (await callService(rig.url, "POST", "/teams", { name: "Studio" }, token)).json.team as { id: number };
    expect((await callService(rig.url, "PUT", `/teams/${team.id}/members/${member}`, { lead: false }, token)).status).toBe(200);
    expect((await callService(rig.url, "PUT", `/teams/${team.id}/members/${lead}`, { lead: true }, token)).status).toBe(200);

    await signIn(page, lead);
    await open("Reports");
    await expect.poll(() => page.getByLabel("Whose time").locator("option").allTextContents()).toEqual(["Mine", "Team Studio"]);
    await page.getByLabel("Whose time").selectOption({ label: "Team Studio" });
    await page.getByLabel("Group by").selectOption("user");
    await page.getByLabel("From").fill(await localDay(30));
    await page.getByLabel("To").fill(await localDay(0));
    const table = page.getByRole("table", { name: /^Hours by user, team Studio, / });
    await table.getByRole("rowheader", { name: member }).waitFor();
    const memberRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: member }) });
    await expect.poll(() => memberRow.textContent()).toMatch(new RegExp(`^${member}3:0\\d1:3\\d${euros(13500 + timerCents).replace(/[.$]/g, "\\$&")}3$`));
    // The CSV link is for one's own entries.
    expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(0);
    await expectAccessible(page, "reports (team)");
    await logOut(page);
  });

  it("shows a member's edit of an entry in the locked period, set by an admin, refused with PERIOD_LOCKED", async () => {
    await signIn(page, owner);
    await openAdminTab(page, "Locked period");
    await page.getByText("Nothing is locked").waitFor();
    const day = await localDay(10);
    await page.getByLabel("Lock entries before").fill(day);
    await page.getByRole("button", { name: "Set lock" }).click();
    await page.getByText(/^Entries starting before .* are locked/).waitFor();
    // Sent as that day's local midnight (Europe/Berlin), in UTC.
    const settings = (await page.evaluate(`fetch("/settings").then((r) => r.json())`)) as { lock_before: string };
    expect(new Date(settings.lock_before).toLocaleString("sv-SE", { timeZone: "Europe/Berlin" })).toBe(`${day} 00:00:00`);
    await expectAccessible(page, "admin (locked period)");
    await logOut(page);

    await signIn(page, member);
    await open("Entries");
    await entryRow("kick-off").getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("dialog", { name: "Edit entry" });
    await form.getByLabel("Note").fill("kick-off, later");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/^Locked period: entries starting before .*except by an admin.*\(409 PERIOD_LOCKED\)$/);
    await expectAccessible(page, "entries (locked edit)");
    await form.getByRole("button", { name: "Cancel" }).click();

    // Several at once: the open one goes, the locked one stays and the dialog says so.
    await page.getByRole("checkbox", { name: /^Select Admin, / }).check();
    await page.getByRole("checkbox", { name: /^Select Design, / }).first().check();
    const [, older] = await page.getByRole("checkbox", { name: /^Select Design, / }).all();
    expect(await older?.isChecked()).toBe(false);
    await page.getByRole("button", { name: "Delete selected (2)" }).click();
    const confirm = page.getByRole("dialog");
    expect(await confirm.getByRole("heading").textContent()).toBe("Delete 2 entries?");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => confirm.getByRole("status").textContent()).toBe("1 of 2 deleted; 1 refused:");
    expect(await confirm.getByRole("alert").textContent()).toContain("409 PERIOD_LOCKED");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => entryRow("kick-off").count()).toBe(1);
    expect(await entryRow("paperwork").count()).toBe(1);
    expect(await entryRow("Website (Acme)").count()).toBe(1);
  });

  it("fits the Entries and Reports screens on a 360 px phone in dark mode", async () => {
    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    for (const path of ["/entries", "/reports"]) {
      await phone.goto(`${rig.url}${path}`);
      await phone.getByRole("table").first().waitFor();
      expect(await phone.evaluate("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(360);
      await expectAccessible(phone, `${path} (phone, dark)`);
    }
    expect(phone.problems).toEqual([]);
    await phone.close();
  });

  it("ran with no Content Security Policy violation and no script error", () => {
    expect(page.problems).toEqual([]);
  });
});
