import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startService, type ServiceProcess } from "../support/service-process.js";

/** Debian's Chromium; the browser tests drive it and download no browser of their own. */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether this run has the browser; without it the browser tests skip, unless REQUIRE_BROWSER=1. */
export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && process.env.REQUIRE_BROWSER !== "1") {
  process.stdout.write(`SKIPPED: browser tests (no ${CHROMIUM}; apt-get install -y chromium)\n`);
}
/** Run the browser suites: the browser is there, or it is required (and its absence fails them). */
export const runBrowserTests = browserAvailable || process.env.REQUIRE_BROWSER === "1";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface WebRig {
  readonly service: ServiceProcess;
  readonly context: BrowserContext;
  readonly url: string;
  newPage(options?: { width?: number; height?: number; dark?: boolean }): Promise<Page & { problems: string[] }>;
  close(): Promise<void>;
}

/** The real service on a fresh SQLite file (with `env` added to its environment), and headless Chromium with a fresh profile. */
export async function startWebRig(env: Record<string, string> = {}): Promise<WebRig> {
  if (!browserAvailable) throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
  const dir = mkdtempSync(join(tmpdir(), "tt-web-"));
  const service = await startService({ STORAGE: "sqlite", SQLITE_PATH: join(dir, "db.sqlite"), LOG_LEVEL: "warn", ...env });
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
    viewport: { width: 1280, height: 900 },
  });
  return {
    service,
    context,
    url: service.url,
    async newPage(options = {}) {
      const page = (await context.newPage()) as Page & { problems: string[] };
      page.problems = [];
      page.setDefaultTimeout(8000);
      await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 900 });
      await page.emulateMedia({ colorScheme: options.dark ? "dark" : "light" });
      page.on("console", (message) => {
        // A refused API call is logged by the browser too; those are the tests' own doing.
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) page.problems.push(message.text());
      });
      page.on("pageerror", (error) => page.problems.push(String(error)));
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Another headless Chromium, with a profile of its own (so its own cookies): a second device of a user. */
export function launchOtherBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // The page's document (this function runs in the browser; the test code has no DOM types).
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Fails the test with axe-core's serious and critical violations on the page as it is now, naming the screen. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length > 0) throw new Error(`${screen}: serious accessibility violations: ${JSON.stringify(violations, null, 1)}`);
}

/** The password of every account the browser tests make. */
export const PASSWORD = "correct horse battery";

/** Logs in on the sign-in form (or, with `create`, creates the account, with an invitation code if given) and waits for the app. */
export async function signIn(page: Page, username: string, options: { create?: boolean; code?: string } = {}): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  if (options.code) {
    await page.getByText("I have an invitation code").click();
    await page.getByLabel("Invitation code").fill(options.code);
  }
  await page.getByRole("button", { name: options.create ? "Create account" : "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

/** Logs out and waits for the sign-in form. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("button", { name: "Log in" }).waitFor();
}

/** Opens Admin and one of its tabs, and waits for the tab's heading. */
export async function openAdminTab(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: "Admin", exact: true }).click();
  await page.getByRole("tab", { name }).click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

/** A local day `daysAgo` before today in the browser's zone, as YYYY-MM-DD (what a date field takes). */
export function localDay(page: Page, daysAgo: number): Promise<string> {
  return page.evaluate<string>(`(() => {
    const d = new Date();
    d.setDate(d.getDate() - ${daysAgo});
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  })()`);
}
