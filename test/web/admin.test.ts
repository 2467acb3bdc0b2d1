import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { callService } from "../support/service-process.js";
import { expectAccessible, logOut, openAdminTab, PASSWORD as password, runBrowserTests, signIn, startWebRig, type WebRig } from "./browser.js";

/**
 * An organisation set up in the app, in Chromium, against the real service on SQLite: the owner
 * invites someone, makes a team with a lead and sets a rate; the lead sees the team's week; a
 * member sees neither Team nor Admin.
 */
describe.runIf(runBrowserTests)("the Admin and Team screens in a browser", () => {
  let rig: WebRig;
  let page: Page & { problems: string[] };
  const stamp = Date.now().toString(36);
  const owner = `olga_${stamp}`;
  const member = `mia_${stamp}`;
  const lead = `leo_${stamp}`;
  let inviteCode = "";
  /** The day of last week that holds the member's entry, as the Team screen's column heads it. */
  let entryDay = "";

  beforeAll(async () => {
    rig = await startWebRig();
    await rig.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: rig.url });
    page = await rig.newPage();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  const nav = () => page.getByRole("navigation");
  const navLinks = async () => (await nav().getByRole("link").allTextContents()).map((t) => t.trim());

  it("shows the owner, the instance's first account, the Team and Admin links and the Admin tabs", async () => {
    await page.goto(rig.url);
    await signIn(page, owner, { create: true });
    expect(await navLinks()).toEqual(["Timer", "Entries", "Week", "Reports", "Import", "Team", "Admin"]);
    await nav().getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Admin" }).waitFor();
    const tabs = page.getByRole("tablist", { name: "Admin sections" }).getByRole("tab");
    expect(await tabs.allTextContents()).toEqual(["Users", "Teams", "Invitations", "Clients", "Projects", "Locked period"]);
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: owner }) });
    await expect.poll(() => row.textContent()).toContain("Owner");
    await expectAccessible(page, "admin (users)");

    // The tabs work by keyboard: arrows move and show, and the panel follows.
    await page.getByRole("tab", { name: "Users" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("heading", { level: 2, name: "Teams" }).waitFor();
    expect(await page.getByRole("tab", { name: "Teams" }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("End");
    await page.getByRole("tabpanel", { name: "Locked period" }).getByRole("heading", { level: 2, name: "Locked period" }).waitFor();
    await page.keyboard.press("Home");
    await page.getByRole("heading", { level: 2, name: "Users" }).waitFor();
  });

  it("invites: the code is shown once with Copy and a warning, listed without it, and an invitation can be withdrawn", async () => {
    await openAdminTab(page, "Invitations");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const code = page.getByLabel("Invitation code");
    await expect.poll(() => code.inputValue()).toMatch(/.{20,}/);
    inviteCode = await code.inputValue();
    await page.getByText(/will not be shown again/).waitFor();
    await page.getByRole("button", { name: "Copy code" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Copied.");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(inviteCode);
    await expectAccessible(page, "admin (new invitation)");
    const open = page.getByRole("table", { name: "Open invitations" }).getByRole("row");
    await expect.poll(() => open.count()).toBe(2);
    // Done, and the code is gone for good: the list does not have it.
    await page.getByRole("button", { name: "Done" }).click();
    expect(await code.count()).toBe(0);
    expect(await page.getByRole("tabpanel").textContent()).not.toContain(inviteCode);

    // A second one, for an admin, withdrawn again (its code goes with it).
    await page.getByLabel("Role").selectOption("admin");
    await page.getByLabel("Valid for").selectOption({ label: "1 day" });
    await page.getByRole("button", { name: "Create invitation" }).click();
    await expect.poll(() => open.count()).toBe(3);
    expect(await code.inputValue()).not.toBe(inviteCode);
    await open.filter({ hasText: "Admin" }).getByRole("button", { name: "Withdraw" }).click();
    await expect.poll(() => open.count()).toBe(2);
    expect(await open.nth(1).textContent()).toContain("Member");
    expect(await code.count()).toBe(0);
  });

  it("signs a new user up with the invitation code; a wrong code is refused", async () => {
    await logOut(page);
    await page.getByLabel("Username").fill(`nobody_${stamp}`);
    await page.getByLabel("Password").fill(password);
    await page.getByText("I have an invitation code").click();
    await page.getByLabel("Invitation code").fill("not-a-code");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/invitation code is unknown, used or expired/);
    await page.goto(rig.url);
    await signIn(page, member, { create: true, code: inviteCode });
    // A member has neither Team nor Admin.
    expect(await navLinks()).toEqual(["Timer", "Entries", "Week", "Reports", "Import"]);

    // An hour and a half on the Tuesday of last week, made with the page's own session.
    await page.evaluate("globalThis.__name = (f) => f");
    entryDay = await page.evaluate(`(async () => {
      const today = new Date();
      const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7) - 7);
      const start = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 1, 9, 0);
      const end = new Date(start.getTime() + 90 * 60000);
      const headers = { "content-type": "application/json", "x-requested-with": "time-tracker-web" };
      await fetch("/category", { method: "POST", headers, body: JSON.stringify({ name: "Design" }) });
      const made = await fetch("/entry", { method: "POST", headers, body: JSON.stringify({ category: "Design", start_time: start.toISOString(), end_time: end.toISOString() }) });
      if (made.status !== 201) throw new Error("entry: " + made.status);
      return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short" }).format(start);
    })()`);
    await logOut(page);
  });

  it("creates a team, adds members, makes one the lead, renames and deletes a team", async () => {
    // The lead-to-be registers through the API (registration is open).
    expect((await callService(rig.url, "POST", "/register", { username: lead, password })).status).toBe(201);
    await signIn(page, owner);
    await openAdminTab(page, "Teams");
    await page.getByLabel("Team name").fill("Design");
    await page.getByRole("button", { name: "Create team" }).click();
    const design = page.getByRole("region", { name: "Design" });
    await design.waitFor();
    for (const name of [member, lead]) {
      await design.getByLabel("Username").fill(name);
      await design.getByRole("button", { name: "Add member" }).click();
      await design.getByRole("rowheader", { name }).waitFor();
    }
    const leadRow = design.getByRole("row").filter({ has: page.getByRole("rowheader", { name: lead }) });
    await leadRow.getByRole("checkbox", { name: "Lead" }).check();
    await expect.poll(() => leadRow.getByRole("checkbox", { name: "Lead" }).isDisabled()).toBe(false);
    // An unknown user is refused on the team's card.
    await design.getByLabel("Username").fill(`ghost_${stamp}`);
    await design.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => design.getByRole("alert").textContent()).toMatch(/not found.*USER_NOT_FOUND/);
    await expectAccessible(page, "admin (teams)");

    // Another team, renamed, then deleted after the dialog asks.
    await page.getByLabel("Team name").fill("Scratch");
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("region", { name: "Scratch" }).getByRole("button", { name: "Rename" }).click();
    const rename = page.getByRole("dialog");
    await rename.getByLabel("Team name").fill("Scratch pad");
    await rename.getByRole("button", { name: "Save" }).click();
    const renamed = page.getByRole("region", { name: "Scratch pad" });
    await renamed.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog");
    await confirm.getByText(/Their entries stay/).waitFor();
    await expectAccessible(page, "admin (delete team dialog)");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => renamed.count()).toBe(0);

    // What was stored: back from another tab, the lead is still the lead.
    await page.getByRole("tab", { name: "Users" }).click();
    await page.getByRole("tab", { name: "Teams" }).click();
    await expect.poll(() => leadRow.getByRole("checkbox", { name: "Lead" }).isChecked()).toBe(true);
    const memberRow = design.getByRole("row").filter({ has: page.getByRole("rowheader", { name: member }) });
    expect(await memberRow.getByRole("checkbox", { name: "Lead" }).isChecked()).toBe(false);
  });

  it("changes a user's hourly rate, shown as money, and shows the API's refusal of the last owner's role", async () => {
    await openAdminTab(page, "Users");
    const row = (name: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    await row(member).getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("dialog", { name: `Edit ${member}` });
    await form.getByLabel("Hourly rate (EUR)").fill("85.5.0");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/such as 85.50/);
    await form.getByLabel("Hourly rate (EUR)").fill("85,5");
    await expectAccessible(page, "admin (edit user)");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row(member).textContent()).toContain("€85.50 / h");
    const stored = await page.evaluate(`fetch("/users").then((r) => r.json())`);
    expect((stored as { users: { username: string; hourly_rate_cents: number }[] }).users.find((u) => u.username === member)).toMatchObject({
      hourly_rate_cents: 8550,
    });

    await row(owner).getByRole("button", { name: "Edit" }).click();
    const self = page.getByRole("dialog", { name: `Edit ${owner}` });
    await self.getByLabel("Role").selectOption("member");
    await self.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => self.getByRole("alert").textContent()).toMatch(/at least one active owner.*another user an owner first.*409 LAST_OWNER/);
    await self.getByRole("button", { name: "Cancel" }).click();
    expect(await row(owner).textContent()).toContain("Owner");
    await logOut(page);
  });

  it("shows a team's lead the Team screen with each member's hours per day, and no Admin", async () => {
    await signIn(page, lead);
    expect(await navLinks()).toEqual(["Timer", "Entries", "Week", "Reports", "Import", "Team"]);
    await nav().getByRole("link", { name: "Team", exact: true }).click();
    expect(await page.getByRole("combobox", { name: "Team", exact: true }).inputValue()).not.toBe("");
    const sheet = page.getByRole("table", { name: /^Design, week of / });
    await sheet.getByRole("rowheader", { name: new RegExp(`^${member}`) }).waitFor();
    await page.getByRole("button", { name: "Previous week" }).click();
    const heads = () => sheet.getByRole("columnheader").allTextContents();
    await expect.poll(async () => (await heads()).includes(entryDay)).toBe(true);
    expect((await heads()).length).toBe(9);
    const column = (await heads()).indexOf(entryDay);
    const memberRow = sheet.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${member}`) }) });
    // Cells after the row header: seven days, then the total.
    await expect.poll(() => memberRow.getByRole("cell").nth(column - 1).textContent()).toBe("1:30");
    expect(await memberRow.getByRole("cell").nth(7).textContent()).toBe("1:30");
    const leadRow = sheet.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${lead}`) }) });
    expect(await leadRow.getByRole("cell").nth(7).textContent()).toBe("0:00");
    expect(await sheet.getByRole("row").last().textContent()).toMatch(/^Total.*1:30$/);
    await expectAccessible(page, "team");

    await page.getByRole("button", { name: "This week" }).click();
    await expect.poll(() => memberRow.getByRole("cell").nth(7).textContent()).toBe("0:00");

    // On a 360 px phone in dark mode the screen fits (the table scrolls inside its box).
    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    await phone.goto(`${rig.url}/`);
    await phone.getByRole("navigation").getByRole("link", { name: "Team", exact: true }).click();
    await phone.getByRole("table", { name: /^Design, week of / }).waitFor();
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await expectAccessible(phone, "team (phone, dark)");
    expect(phone.problems).toEqual([]);
    await phone.close();
    await logOut(page);
  });

  it("shows a team member who does not lead it neither Team nor Admin", async () => {
    await signIn(page, member);
    expect(await navLinks()).toEqual(["Timer", "Entries", "Week", "Reports", "Import"]);
    const status = await page.evaluate(`fetch("/invitations").then((r) => r.status)`);
    expect(status).toBe(403);
  });

  it("ran with no Content Security Policy violation and no script error", () => {
    expect(page.problems).toEqual([]);
  });
});
