/**
 * Writes a PNG of every screen of the web app to docs/screenshots/, from the real service on a
 * fresh SQLite file in headless Chromium, with a week of sample entries on clients' projects,
 * daily targets, and a team of two. `npm run screenshots`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { callService } from "../test/support/service-process.js";
import { PASSWORD, signIn, startWebRig } from "../test/web/browser.js";

const OUT = join(import.meta.dirname, "..", "docs", "screenshots");

/** One entry of the sample week: days before today, start hour, minutes, category, project, tags, note. */
type Planned = [number, number, number, string, string | null, string[], string];

const ADA: Planned[] = [
  [1, 9, 120, "Writing", "Handbook", ["draft"], "Chapter 3 draft"],
  [1, 11.5, 45, "Meetings", "Website", ["client call"], "Stand-up and planning"],
  [1, 14, 90, "Research", "Handbook", [], "Sources for chapter 4"],
  [2, 8.5, 150, "Writing", "Handbook", ["edits"], "Chapter 3 edits"],
  [2, 13, 60, "Email", null, [], ""],
  [2, 22.5, 120, "Research", null, ["reading"], "Late reading (crosses midnight)"],
  [3, 10, 75, "Meetings", "Website", ["client call", "design"], "Review with Acme"],
  [3, 13.5, 100, "Writing", "Website", ["design"], "Landing page copy"],
  [4, 9, 60, "Email", null, [], ""],
];

const BEN: Planned[] = [
  [1, 8, 240, "Design", "Website", ["design"], "Mock-ups"],
  [2, 9, 180, "Design", "Website", ["design"], "Icons"],
  [3, 13, 120, "Meetings", "Website", ["client call"], "Review with Acme"],
];

/**
 * The owner's catalogue (a client with a rated project, an internal one), a second user with a
 * team they share, and the owner's daily targets, through the API with a bearer token.
 */
async function sampleOrganisation(url: string): Promise<{ owner: string; projects: Record<string, number>; ben: string }> {
  const owner = (await callService(url, "POST", "/login", { username: "ada", password: PASSWORD })).json.token as string;
  const acme = (await callService(url, "POST", "/clients", { name: "Acme" }, owner)).json.client.id as number;
  await callService(url, "POST", "/clients", { name: "Globex" }, owner);
  const website = (
    await callService(url, "POST", "/projects", { name: "Website", client_id: acme, color: "#2f6fdb", hourly_rate_cents: 9000 }, owner)
  ).json.project.id as number;
  const handbook = (
    await callService(url, "POST", "/projects", { name: "Handbook", color: "#2a9d6a", billable: false }, owner)
  ).json.project.id as number;
  await callService(url, "POST", "/register", { username: "ben", password: PASSWORD });
  const ben = (await callService(url, "POST", "/login", { username: "ben", password: PASSWORD })).json.token as string;
  const team = (await callService(url, "POST", "/teams", { name: "Studio" }, owner)).json.team.id as number;
  await callService(url, "PUT", `/teams/${team}/members/ada`, { lead: true }, owner);
  await callService(url, "PUT", `/teams/${team}/members/ben`, { lead: false }, owner);
  await callService(url, "PATCH", "/users/ben", { hourly_rate_cents: 7000 }, owner);
  return { owner, projects: { Website: website, Handbook: handbook }, ben };
}

/** The planned entries, made for the token's user; today's local midnight is the browser's. */
async function book(url: string, token: string, plan: readonly Planned[], projects: Record<string, number>, midnight: number): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const [daysAgo, hour, minutes, category, project, tags, note] of plan) {
    await callService(url, "POST", "/category", { name: category }, token);
    const start = midnight - daysAgo * 86_400_000 + hour * 3_600_000;
    const body = {
      category,
      start_time: iso(start),
      end_time: iso(start + minutes * 60_000),
      ...(note ? { note } : {}),
      ...(project ? { project_id: projects[project] } : {}),
      tags,
    };
    const made = await callService(url, "POST", "/entry", body, token);
    if (made.status !== 201) throw new Error(`sample entry: ${made.status} ${JSON.stringify(made.json)}`);
  }
}

/** A Toggl Track detailed export of a week before the sample week, with one row whose date is broken. */
async function sampleToggl(page: Page): Promise<string> {
  const day = (daysAgo: number) =>
    page.evaluate<string>(`(() => { const d = new Date(Date.now() - ${daysAgo} * 86400000); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()`);
  const rows: [number, string, string, string, string, string, string, string][] = [
    [10, "Acme", "Website", "Wireframes", "Yes", "09:00", "11:30", "design"],
    [10, "", "", "Inbox", "No", "13:00", "13:30", ""],
    [9, "Globex", "Docs", "API guide outline", "Yes", "10:00", "12:00", "writing"],
    [9, "Acme", "Website", "Call with Acme", "Yes", "14:00", "14:45", "client call"],
    [8, "Globex", "Docs", "API guide, first part", "Yes", "09:30", "12:15", "writing"],
  ];
  const lines = ["User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)"];
  for (const [daysAgo, client, project, description, billable, start, end, tags] of rows) {
    const date = await day(daysAgo);
    lines.push(`Ada,ada@example.com,${client},${project},,"${description}",${billable},${date},${start}:00,${date},${end}:00,,${tags},`);
  }
  lines.splice(3, 0, `Ada,ada@example.com,,,,Review,No,31/02/2026,16:00:00,31/02/2026,17:00:00,,,`);
  return `${lines.join("\n")}\n`;
}

async function shoot(page: Page, file: string, fullPage = true): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, file), fullPage });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rig = await startWebRig();
  try {
    const page = await rig.newPage({ width: 1100, height: 760 });
    await page.goto(rig.url);
    await page.getByLabel("Username").waitFor();
    await shoot(page, "sign-in.png", false);
    await signIn(page, "ada", { create: true });

    const { owner, projects, ben } = await sampleOrganisation(rig.url);
    const midnight = await page.evaluate<number>("(() => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.getTime(); })()");
    await book(rig.url, owner, ADA, projects, midnight);
    await book(rig.url, ben, BEN, projects, midnight);
    const categories = (await callService(rig.url, "GET", "/category", undefined, owner)).json.categories as { id: number; name: string }[];
    const id = (name: string) => categories.find((c) => c.name === name)?.id;
    const targets = [
      { category_id: id("Writing"), seconds: 4 * 3600 },
      { category_id: id("Email"), seconds: 1800 },
    ];
    await callService(rig.url, "PATCH", "/me/preferences", { daily_targets: targets }, owner);
    const start = new Date(Date.now() - 47 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await callService(rig.url, "POST", "/entry", { category: "Writing", start_time: start, project_id: projects.Website, tags: ["design"], note: "Chapter 4" }, owner);

    await page.reload();
    await page.getByRole("timer").waitFor();
    await page.getByRole("img", { name: /^Writing: / }).waitFor();
    await shoot(page, "timer.png", false);

    const nav = page.getByRole("navigation");
    await nav.getByRole("link", { name: "Entries" }).click();
    await page.getByRole("button", { name: "Edit" }).first().waitFor();
    await shoot(page, "entries.png");

    await nav.getByRole("link", { name: "Week" }).click();
    await page.getByRole("table", { name: /Timesheet/ }).getByRole("rowheader").first().waitFor();
    await shoot(page, "week.png", false);

    await nav.getByRole("link", { name: "Reports" }).click();
    await page.getByLabel("Group by").selectOption("project");
    await page.getByLabel("Donut shows").selectOption("project");
    await page.getByLabel("From").fill(await page.evaluate<string>("(() => { const d = new Date(Date.now() - 6 * 86400000); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()"));
    await page.getByRole("img", { name: /^Share of hours by project/ }).waitFor();
    await page.getByRole("heading", { level: 1 }).click();
    await shoot(page, "reports.png");

    await nav.getByRole("link", { name: "Import", exact: true }).click();
    await page.getByLabel("CSV file").setInputFiles({ name: "toggl-export.csv", mimeType: "text/csv", buffer: Buffer.from(await sampleToggl(page)) });
    await page.getByRole("region", { name: /^Preview of / }).getByRole("table").waitFor();
    await shoot(page, "import.png");

    await nav.getByRole("link", { name: "Team", exact: true }).click();
    await page.getByRole("table", { name: /^Studio, week of / }).getByRole("rowheader", { name: /^ben/ }).waitFor();
    await shoot(page, "team.png");

    await nav.getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("tab", { name: "Projects" }).click();
    await page.getByRole("rowheader", { name: "Website" }).waitFor();
    await shoot(page, "admin.png");

    await page.getByRole("banner").getByRole("link", { name: "Account", exact: true }).click();
    await page.getByRole("tab", { name: "API tokens" }).click();
    await page.getByLabel("Name").fill("Invoicing script");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByRole("rowheader", { name: "Invoicing script" }).waitFor();
    await shoot(page, "account.png");

    const phone = await rig.newPage({ width: 360, height: 740, dark: true });
    await phone.goto(`${rig.url}/timer`);
    await phone.getByRole("timer").waitFor();
    await shoot(phone, "timer-phone-dark.png", false);
    process.stdout.write(`screenshots written to ${OUT}\n`);
  } finally {
    await rig.close();
  }
}

await main();
