import { readFileSync } from "node:fs";
import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callService } from "../support/service-process.js";
import { webhookReceiver } from "../support/webhook-receiver.js";
import { expectAccessible, launchOtherBrowser, logOut, PASSWORD, runBrowserTests, signIn, startWebRig, type WebRig } from "./browser.js";

/**
 * The Account screen in Chromium against the real service on SQLite (webhooks may reach a local
 * receiver): a new password, the sessions of a second browser, an API token, a webhook and its
 * delivery log, the export, two-factor login set up and used at login, and deleting an account.
 */
describe.runIf(runBrowserTests)("the Account screen in a browser", () => {
  let rig: WebRig;
  let page: Page & { problems: string[] };
  let other: Browser | undefined;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const stamp = Date.now().toString(36);
  const owner = `olga_${stamp}`;
  const member = `mia_${stamp}`;
  const newPassword = "an even better passphrase";
  let recovery: string[] = [];
  let totpSecret = "";

  beforeAll(async () => {
    receiver = await webhookReceiver();
    rig = await startWebRig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    await rig.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: rig.url });
    page = await rig.newPage();
  }, 60_000);
  afterAll(async () => {
    await other?.close().catch(() => {});
    await rig?.close();
    await receiver?.close();
  });

  const codeAt = (secret: string, offsetSteps = 0) =>
    new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
      timestamp: Date.now() + offsetSteps * 30_000,
    });

  /** Logs in on the sign-in form with this password (and, when the form asks for it, this two-factor code). */
  async function logInWith(p: Page, username: string, password: string, code?: string): Promise<void> {
    await p.getByLabel("Username").fill(username);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Log in" }).click();
    if (code !== undefined) {
      await p.getByLabel("Two-factor code").fill(code);
      await p.getByRole("button", { name: "Log in" }).click();
    }
    await p.getByRole("button", { name: "Log out" }).waitFor();
  }

  /** Opens Account from the header, then one of its tabs, and waits for the tab's heading. */
  async function openAccountTab(p: Page, name: string): Promise<void> {
    await p.getByRole("banner").getByRole("link", { name: "Account", exact: true }).click();
    await p.getByRole("heading", { level: 1, name: "Account" }).waitFor();
    await p.getByRole("tab", { name }).click();
    await p.getByRole("heading", { level: 2, name }).waitFor();
  }

  /** A call from the page with its session cookie (and the web app's header), answering the status and the JSON. */
  const fromPage = (p: Page, method: string, path: string, body?: unknown) =>
    p.evaluate(
      async ([method, path, body]) => {
        const response = await fetch(path as string, {
          method: method as string,
          headers: { "x-requested-with": "time-tracker-web", ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, json: text ? JSON.parse(text) : null };
      },
      [method, path, body] as const,
    );

  it("is linked from the header as Account, beside the unchanged main navigation, with a tab per section", async () => {
    await page.goto(rig.url);
    await signIn(page, owner, { create: true });
    const navLinks = (await page.getByRole("navigation").getByRole("link").allTextContents()).map((t) => t.trim());
    expect(navLinks).toEqual(["Timer", "Entries", "Week", "Reports", "Import", "Team", "Admin"]);
    await openAccountTab(page, "Password");
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.title()).toBe("Account — Time Tracker");
    expect(await page.getByRole("banner").getByRole("link", { name: "Account", exact: true }).getAttribute("aria-current")).toBe("page");
    const tabs = page.getByRole("tablist", { name: "Account sections" }).getByRole("tab");
    expect(await tabs.allTextContents()).toEqual(["Password", "Sessions", "API tokens", "Webhooks", "Two-factor login", "Export and delete"]);
    await expectAccessible(page, "account (password)");
    // A reload of /account stays there.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Account" }).waitFor();
  });

  it("changes the password (other sessions signed out), after which only the new one logs in", async () => {
    await openAccountTab(page, "Password");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(`${newPassword} typo`);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/not the same/);

    // A wrong current password is refused, and the session stays.
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("401 INVALID_CREDENTIALS");
    await page.getByRole("button", { name: "Log out" }).waitFor();

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/Password changed\. Your other sessions were signed out/).waitFor();
    await expectAccessible(page, "account (password changed)");

    await logOut(page);
    await page.getByLabel("Username").fill(owner);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Invalid username or password/);
    await logInWith(page, owner, newPassword);
  });

  it("lists a second browser's session beside this one and signs it out: its next call is 401", async () => {
    other = await launchOtherBrowser();
    const otherPage = await (await other.newContext()).newPage();
    await otherPage.goto(rig.url);
    await logInWith(otherPage, owner, newPassword);

    await openAccountTab(page, "Sessions");
    const rows = page.getByRole("table", { name: "Signed-in sessions" }).getByRole("row");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.filter({ hasText: "This session" }).count()).toBe(1);
    // Only the other session has a Sign out button: this one ends with Log out.
    const signOut = page.getByRole("button", { name: /^Sign out/ });
    expect(await signOut.count()).toBe(1);
    expect(await rows.filter({ hasText: "This session" }).getByRole("button").count()).toBe(0);
    await expectAccessible(page, "account (sessions)");
    await signOut.click();
    await expect.poll(() => rows.count()).toBe(2);

    expect(await otherPage.evaluate(async () => (await fetch("/me")).status)).toBe(401);
    // The other browser's app notices at its next call and shows the sign-in form.
    await otherPage.reload();
    await otherPage.getByRole("button", { name: "Log in" }).waitFor();
    expect(await fromPage(page, "GET", "/me")).toMatchObject({ status: 200 });
    await other.close();
    other = undefined;
  });

  it("makes a read-only API token whose secret is shown once, that reads but does not write, and revokes it", async () => {
    await openAccountTab(page, "API tokens");
    await page.getByText("No API tokens.").waitFor();
    await page.getByLabel("Name").fill("ci-read");
    await page.getByLabel("Scope").selectOption({ label: "Read only" });
    await page.getByLabel("Expires after").selectOption({ label: "Never" });
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("region", { name: "New token: ci-read" });
    const field = shown.getByLabel("Token secret");
    await expect.poll(() => field.inputValue()).toMatch(/^tt_/);
    const secret = await field.inputValue();
    await shown.getByText(/will not be shown again/).waitFor();
    await shown.getByRole("button", { name: "Copy token" }).click();
    await expect.poll(() => shown.getByRole("status").textContent()).toBe("Copied.");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(secret);
    await expectAccessible(page, "account (new token)");

    const table = page.getByRole("table", { name: "Your API tokens" });
    const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "ci-read" }) });
    await expect.poll(() => row.textContent()).toContain("Read only");
    expect(await row.textContent()).toContain("Never used");
    expect(await table.textContent()).not.toContain(secret);

    // The token reads the user's entries, and may not write.
    expect((await callService(rig.url, "GET", `/entries/${owner}`, undefined, secret)).status).toBe(200);
    const write = await callService(rig.url, "POST", "/entry", { category: "Writing", start_time: "2026-02-10T08:00:00Z" }, secret);
    expect(write.status).toBe(403);
    expect(write.json.code).toBe("INSUFFICIENT_SCOPE");

    // Done, and the secret is gone for good; the list, read again, says it was used.
    await shown.getByRole("button", { name: "Done" }).click();
    expect(await page.getByLabel("Token secret").count()).toBe(0);
    await openAccountTab(page, "Sessions");
    await openAccountTab(page, "API tokens");
    await expect.poll(() => row.textContent()).not.toContain("Never used");
    expect(await page.getByRole("tabpanel").textContent()).not.toContain(secret);

    await row.getByRole("button", { name: "Revoke ci-read" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke ci-read?" });
    await dialog.waitFor();
    await expectAccessible(page, "account (revoke token)");
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await page.getByText("No API tokens.").waitFor();
    expect((await callService(rig.url, "GET", `/entries/${owner}`, undefined, secret)).status).toBe(401);
  });

  it("subscribes a webhook (secret shown once), pings it, shows the delivery in its log, pauses it and deletes it", async () => {
    await openAccountTab(page, "Webhooks");
    await page.getByText("No webhooks.").waitFor();
    // An owner may have everyone's entries sent.
    await page.getByLabel("Everyone's entries").waitFor();
    await page.getByLabel("URL").fill(receiver.url);
    expect(await page.getByLabel("All events").isChecked()).toBe(true);
    expect(await page.getByLabel("Entry created").isDisabled()).toBe(true);
    await page.getByLabel("Description").fill("the test's receiver");
    await expectAccessible(page, "account (webhooks)");
    await page.getByRole("button", { name: "Create webhook" }).click();

    const shown = page.getByRole("region", { name: `New webhook: ${receiver.url}` });
    const field = shown.getByLabel("Signing secret");
    await expect.poll(() => field.inputValue()).toMatch(/^whsec_/);
    const secret = await field.inputValue();
    await shown.getByText(/will not be shown again/).waitFor();
    await shown.getByRole("button", { name: "Done" }).click();
    expect(await page.getByLabel("Signing secret").count()).toBe(0);

    const card = page.getByRole("region", { name: receiver.url, exact: true });
    await expect.poll(() => card.textContent()).toContain("All events");
    expect(await card.textContent()).toContain("the test's receiver");
    expect(await card.textContent()).not.toContain(secret);

    await card.getByRole("button", { name: "Send ping" }).click();
    await receiver.waitFor((got) => got.some((r) => r.body.includes("webhook.ping")));
    const log = card.getByRole("table", { name: /Deliveries/ });
    await expect
      .poll(
        async () => {
          await card.getByRole("button", { name: "Refresh log" }).click();
          return (await log.textContent()) ?? "";
        },
        { timeout: 10_000 },
      )
      .toMatch(/webhook\.ping.*Delivered \(HTTP 204\)/);
    await expectAccessible(page, "account (webhook delivery log)");

    await card.getByLabel("Active").uncheck();
    await expect.poll(async () => (await fromPage(page, "GET", "/webhooks")).json.webhooks[0].active).toBe(false);
    await card.getByText(/Paused/).waitFor();

    await card.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this webhook?" });
    await dialog.getByRole("button", { name: "Delete webhook" }).click();
    await page.getByText("No webhooks.").waitFor();
    expect((await fromPage(page, "GET", "/webhooks")).json.webhooks).toEqual([]);
  });

  it("downloads everything of the user as a JSON file with their entries", async () => {
    expect((await fromPage(page, "POST", "/category", { name: "Writing" })).status).toBeLessThan(300);
    const made = await fromPage(page, "POST", "/entry", {
      category: "Writing",
      start_time: "2026-02-10T08:00:00Z",
      end_time: "2026-02-10T09:30:00Z",
      note: "to be exported",
    });
    expect(made.status).toBe(201);

    await openAccountTab(page, "Export and delete");
    await expectAccessible(page, "account (export and delete)");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data" }).click()]);
    expect(download.suggestedFilename()).toBe("time-tracker-export.json");
    const document = JSON.parse(readFileSync(await download.path(), "utf8")) as {
      profile: { username: string };
      entries: { note: string | null; category: string }[];
    };
    expect(document.profile.username).toBe(owner);
    expect(document.entries).toEqual([expect.objectContaining({ note: "to be exported", category: "Writing" })]);
  });

  it("sets up two-factor login from a QR code and its secret, and shows the 10 recovery codes once", async () => {
    await openAccountTab(page, "Two-factor login");
    await page.getByText("Status: Off.").waitFor();
    await page.getByRole("button", { name: "Set up two-factor login" }).click();
    const qr = page.getByRole("img", { name: /^QR code/ });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    totpSecret = (await page.getByLabel("Or type this secret key into the app").inputValue()).replace(/\s+/g, "");
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessible(page, "account (two-factor set-up)");

    await page.getByLabel("Code from the app").fill(codeAt(totpSecret));
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByLabel("Recovery codes", { exact: true });
    await expect.poll(async () => (await codes.inputValue()).split("\n").length).toBe(10);
    recovery = (await codes.inputValue()).split("\n");
    await page.getByText(/will not be shown again/).waitFor();
    await page.getByText("Status: On.").waitFor();
    expect((await fromPage(page, "GET", "/me")).json).toMatchObject({ totp_enabled: true });
    await expectAccessible(page, "account (recovery codes)");
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByLabel("Recovery codes", { exact: true }).count()).toBe(0);
  });

  it("then asks for the Two-factor code at login: a code from the app, or a recovery code, once", async () => {
    await logOut(page);
    await page.getByLabel("Username").fill(owner);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    const codeField = page.getByLabel("Two-factor code");
    await codeField.waitFor();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/two-factor login on/);
    await expectAccessible(page, "sign-in (two-factor code)");
    // The code that turned it on is used up; the next step's code is taken (one step of drift).
    await codeField.fill(codeAt(totpSecret, 1));
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();

    await logOut(page);
    await logInWith(page, owner, newPassword, recovery[0]);
    // The same recovery code does not work twice.
    await logOut(page);
    await page.getByLabel("Username").fill(owner);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByLabel("Two-factor code").fill(recovery[0]!);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/not right/);
    await page.getByLabel("Two-factor code").fill(recovery[1]!);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();
  });

  it("turns two-factor login off with a recovery code", async () => {
    await openAccountTab(page, "Two-factor login");
    await page.getByText("Status: On.").waitFor();
    await page.getByLabel("Code or recovery code").fill("123-not");
    await page.getByRole("button", { name: "Turn off two-factor login" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("401 INVALID_CREDENTIALS");
    await page.getByLabel("Code or recovery code").fill(recovery[2]!);
    await page.getByRole("button", { name: "Turn off two-factor login" }).click();
    await page.getByText("Status: Off.").waitFor();
    expect((await fromPage(page, "GET", "/me")).json).toMatchObject({ totp_enabled: false });
  });

  it("refuses to delete the last owner's account, and shows why", async () => {
    await openAccountTab(page, "Export and delete");
    await page.getByLabel("Your password").fill(newPassword);
    await page.getByRole("button", { name: "Delete my account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await dialog.getByRole("button", { name: "Delete my account for good" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("409 LAST_OWNER");
    await expectAccessible(page, "account (delete refused)");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();
  });

  it("deletes a member's account with its password: signed out, and that login no longer works", async () => {
    expect((await callService(rig.url, "POST", "/register", { username: member, password: PASSWORD })).status).toBe(201);
    await logOut(page);
    await signIn(page, member);
    // A member's webhooks are for their own entries only.
    await openAccountTab(page, "Webhooks");
    await page.getByLabel("URL").waitFor();
    expect(await page.getByLabel("Everyone's entries").count()).toBe(0);

    await openAccountTab(page, "Export and delete");
    await page.getByLabel("Your password").fill("not my password");
    await page.getByRole("button", { name: "Delete my account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await dialog.getByRole("button", { name: "Delete my account for good" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("401 INVALID_CREDENTIALS");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    // A wrong password leaves the session as it was.
    await page.getByRole("button", { name: "Log out" }).waitFor();

    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await dialog.getByRole("button", { name: "Delete my account for good" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    expect(await fromPage(page, "GET", "/me")).toMatchObject({ status: 401 });

    await page.getByLabel("Username").fill(member);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Invalid username or password/);
    expect((await callService(rig.url, "POST", "/login", { username: member, password: PASSWORD })).status).toBe(401);
  });

  it("works at 360 px in dark mode: every tab fits the width, with no serious accessibility violation", async () => {
    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    await phone.goto(`${rig.url}/account`);
    await logInWith(phone, owner, newPassword);
    await phone.getByRole("heading", { level: 1, name: "Account" }).waitFor();
    await phone.getByRole("banner").getByRole("link", { name: "Account", exact: true }).waitFor({ state: "visible" });
    // A webhook with a delivery in its log: the widest thing on the screen.
    const made = await fromPage(phone, "POST", "/webhooks", { url: receiver.url, events: ["*"], description: "phone" });
    expect(made.status).toBe(201);
    expect((await fromPage(phone, "POST", `/webhooks/${made.json.webhook.id}/ping`)).status).toBe(202);
    await receiver.waitFor((got) => got.filter((r) => r.body.includes("webhook.ping")).length >= 2);
    for (const tab of ["Password", "Sessions", "API tokens", "Webhooks", "Two-factor login", "Export and delete"]) {
      await phone.getByRole("tab", { name: tab }).click();
      await phone.getByRole("heading", { level: 2, name: tab }).waitFor();
      if (tab === "Webhooks") {
        await phone.getByRole("button", { name: "Delivery log" }).click();
        await phone.getByRole("table", { name: /Deliveries/ }).getByRole("rowheader", { name: "webhook.ping" }).waitFor();
      }
      if (tab === "Two-factor login") {
        await phone.getByRole("button", { name: "Set up two-factor login" }).click();
        await phone.getByRole("img", { name: /^QR code/ }).waitFor();
      }
      expect(await phone.evaluate<number>("document.documentElement.scrollWidth"), tab).toBeLessThanOrEqual(360);
      await expectAccessible(phone, `account at 360 px, dark (${tab})`);
    }
    expect(phone.problems).toEqual([]);
  });

  it("loaded with no Content Security Policy violation and no script error", () => {
    expect(page.problems).toEqual([]);
  });
});
