import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { iso, random, registerUsers, type BenchUser } from "./api.js";
import type { HttpClient } from "./http.js";
import { openSqlite, type PreparedStore } from "./stores.js";

/**
 * The data of the team report and of the tagged entry writes: clients, projects (some with
 * rates, one not billable) and tags made through the API by an admin; a team of registered users
 * with a lead; and a year of the members' entries inserted straight into the tables, many rows per
 * statement in one transaction (through `POST /entry` 250,000 entries would take many minutes).
 */

/** The year the team report covers: [from, to), UTC. */
export const REPORT_YEAR = { from: Date.UTC(2023, 0, 1), to: Date.UTC(2024, 0, 1) } as const;

export interface CatalogueProject {
  readonly id: number;
  readonly name: string;
  readonly billable: boolean;
  readonly hourlyRateCents: number | null;
}

export interface Catalogue {
  readonly projects: readonly CatalogueProject[];
  readonly tags: readonly { readonly id: number; readonly name: string }[];
}

const CLIENTS = ["Bench Client A", "Bench Client B", "Bench Client C"];

/** Client index (null: none), billable, rate. Two projects without a rate take their user's. */
const PROJECTS: readonly { name: string; client: number | null; billable: boolean; rate: number | null }[] = [
  { name: "Website", client: 0, billable: true, rate: 9_500 },
  { name: "Mobile app", client: 0, billable: true, rate: 12_000 },
  { name: "Support", client: 1, billable: true, rate: null },
  { name: "Audit", client: 1, billable: true, rate: 15_000 },
  { name: "Retainer", client: 2, billable: true, rate: 8_000 },
  { name: "Pitch", client: 2, billable: true, rate: null },
  { name: "Internal", client: null, billable: false, rate: null },
  { name: "Training", client: null, billable: false, rate: null },
];

const TAGS = ["meeting", "review", "design", "bugfix", "call", "travel", "research", "docs", "planning", "support", "deploy", "onsite"];

/** Clients, projects and tags, made by `admin` through the API (tags by one entry that has them all). */
export async function createCatalogue(client: HttpClient, admin: BenchUser, category: string): Promise<Catalogue> {
  const token = admin.token;
  const clientIds: number[] = [];
  for (const name of CLIENTS) {
    const res = await client.expect(201, "POST", "/clients", { token, body: { name } });
    clientIds.push(res.json<{ client: { id: number } }>().client.id);
  }
  const projects: CatalogueProject[] = [];
  for (const project of PROJECTS) {
    const body = {
      name: project.name,
      client_id: project.client === null ? null : clientIds[project.client],
      billable: project.billable,
      hourly_rate_cents: project.rate,
    };
    const res = await client.expect(201, "POST", "/projects", { token, body });
    const id = res.json<{ project: { id: number } }>().project.id;
    projects.push({ id, name: project.name, billable: project.billable, hourlyRateCents: project.rate });
  }
  // A tag is made on first use: one entry of the admin's, long before anything measured, has them all.
  await client.expect(201, "POST", "/entry", {
    token,
    body: { category, start_time: iso(Date.UTC(2010, 0, 4, 9)), end_time: iso(Date.UTC(2010, 0, 4, 10)), tags: TAGS },
  });
  const listed = (await client.expect(200, "GET", "/tags", { token })).json<{ tags: { id: number; name: string }[] }>().tags;
  const tags = TAGS.map((name) => {
    const found = listed.find((tag) => tag.name === name);
    if (!found) throw new Error(`tag ${name} was not made`);
    return found;
  });
  return { projects, tags };
}

/** What the report over the team's year must answer, summed while the entries were made. */
export interface ReportExpectation {
  readonly totalSeconds: number;
  readonly billableSeconds: number;
  readonly amountCents: number;
}

export interface TeamSeed {
  readonly teamId: number;
  /** Member 0, who leads the team and asks for its report. */
  readonly lead: BenchUser;
  readonly memberIds: readonly number[];
  readonly entries: number;
  readonly entryTags: number;
  readonly expected: ReportExpectation;
  readonly seconds: { readonly api: number; readonly insert: number };
}

/** One row of time_entries as the bulk insert writes it; times in epoch seconds. */
interface SeedEntry {
  readonly id: number;
  readonly userId: number;
  readonly categoryId: number;
  readonly start: number;
  readonly end: number;
  readonly projectId: number | null;
  readonly billable: boolean;
  readonly rate: number | null;
}

/**
 * The members' entries in the year, `total` of them shared out evenly: member m's entry k lies in
 * its own slot of the year (so none overlap), lasting 20–90% of it. About 65% have a project
 * (billable as the project is, one in ten the other way), 10% of the others are billable; the rate
 * is the project's, else the user's, else none, as the service fixes it. About 40% have 1–3 tags.
 */
function planEntries(
  memberIds: readonly number[],
  userRates: readonly (number | null)[],
  total: number,
  firstId: number,
  categoryIds: readonly number[],
  catalogue: Catalogue,
): Planned & { expected: ReportExpectation } {
  const pick = random(total * 31 + memberIds.length);
  const yearSeconds = (REPORT_YEAR.to - REPORT_YEAR.from) / 1000;
  const entries: SeedEntry[] = [];
  const tags: [number, number][] = [];
  let totalSeconds = 0;
  let billableSeconds = 0;
  let earned = 0;
  memberIds.forEach((userId, m) => {
    const count = Math.floor(total / memberIds.length) + (m < total % memberIds.length ? 1 : 0);
    const slot = Math.floor(yearSeconds / Math.max(1, count));
    if (slot < 2) throw new Error(`${count} entries do not fit in a year for one user`);
    for (let k = 0; k < count; k++) {
      const length = Math.max(1, Math.min(86_400, Math.floor(slot * (0.2 + 0.7 * pick()))));
      const start = REPORT_YEAR.from / 1000 + k * slot + Math.floor(pick() * (slot - length));
      const project = pick() < 0.65 ? (catalogue.projects[Math.floor(pick() * catalogue.projects.length)] ?? null) : null;
      const flip = pick() < 0.1;
      const billable = project === null ? pick() < 0.1 : project.billable !== flip;
      const rate = project?.hourlyRateCents ?? userRates[m] ?? null;
      const id = firstId + entries.length;
      entries.push({
        id,
        userId,
        categoryId: categoryIds[Math.floor(pick() * categoryIds.length)] as number,
        start,
        end: start + length,
        projectId: project?.id ?? null,
        billable,
        rate,
      });
      if (pick() < 0.4) {
        const n = 1 + Math.floor(pick() * 3);
        const first = Math.floor(pick() * catalogue.tags.length);
        for (let t = 0; t < n; t++) tags.push([id, (catalogue.tags[(first + t) % catalogue.tags.length] as { id: number }).id]);
      }
      totalSeconds += length;
      if (billable) {
        billableSeconds += length;
        if (rate !== null) earned += length * rate;
      }
    }
  });
  return { entries, tags, expected: { totalSeconds, billableSeconds, amountCents: Math.floor((earned + 1800) / 3600) } };
}

const ENTRY_COLUMNS = "id, user_id, category_id, start_time, end_time, note, project_id, billable, hourly_rate_cents";

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function mysqlTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** Planned rows: entries, and (entry id, tag id) pairs. */
interface Planned {
  readonly entries: readonly SeedEntry[];
  readonly tags: readonly (readonly [number, number])[];
}

/** Reads the first free entry id, plans the rows from it and inserts them, in one transaction, many rows per INSERT. */
async function insertEntries<T extends Planned>(store: PreparedStore, plan: (firstId: number) => T): Promise<T> {
  if (store.storage === "mysql" && store.mysqlPool) {
    const connection = await store.mysqlPool.getConnection();
    try {
      await connection.query("START TRANSACTION");
      const [rows] = await connection.query<RowDataPacket[]>("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM time_entries FOR UPDATE");
      const planned = plan(Number(rows[0]?.next ?? 1));
      const { entries, tags } = planned;
      for (const part of chunks(entries, 1000)) {
        const values = part.map(() => "(?, ?, ?, ?, ?, NULL, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())").join(", ");
        const params = part.flatMap((e) => [e.id, e.userId, e.categoryId, mysqlTime(e.start), mysqlTime(e.end), e.projectId, e.billable ? 1 : 0, e.rate]);
        await connection.query(`INSERT INTO time_entries (${ENTRY_COLUMNS}, created_at, updated_at) VALUES ${values}`, params);
      }
      for (const part of chunks(tags, 2000)) {
        await connection.query(`INSERT INTO entry_tags (entry_id, tag_id) VALUES ${part.map(() => "(?, ?)").join(", ")}`, part.flat());
      }
      await connection.query("COMMIT");
      return planned;
    } catch (error) {
      await connection.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
  if (store.storage === "sqlite" && store.sqlitePath) {
    const db = await openSqlite(store.sqlitePath);
    try {
      const insertAll = db.transaction(() => {
        const next = db.prepare("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM time_entries").get() as { next: number };
        const planned = plan(next.next);
        const { entries, tags } = planned;
        for (const part of chunks(entries, 500)) {
          const values = part.map(() => "(?, ?, ?, ?, ?, NULL, ?, ?, ?)").join(", ");
          db.prepare(`INSERT INTO time_entries (${ENTRY_COLUMNS}) VALUES ${values}`).run(
            part.flatMap((e) => [e.id, e.userId, e.categoryId, e.start, e.end, e.projectId, e.billable ? 1 : 0, e.rate]),
          );
        }
        for (const part of chunks(tags, 2000)) {
          db.prepare(`INSERT INTO entry_tags (entry_id, tag_id) VALUES ${part.map(() => "(?, ?)").join(", ")}`).run(part.flat());
        }
        return planned;
      });
      return insertAll.immediate();
    } finally {
      db.close();
    }
  }
  throw new Error(`the team report needs mysql or sqlite, not ${store.storage}`);
}

/**
 * Registers the members (the first logs in: the lead), makes the team with its lead, gives every
 * other member an hourly rate, and writes `entries` entries of the members into the year.
 */
export async function seedTeam(
  client: HttpClient,
  store: PreparedStore,
  admin: BenchUser,
  names: readonly string[],
  entries: number,
  catalogue: Catalogue,
): Promise<TeamSeed> {
  const started = performance.now();
  const members = await registerUsers(client, names, (index) => index === 0);
  const lead = members[0];
  if (!lead?.token) throw new Error("the team has no lead");
  const token = admin.token;
  const team = await client.expect(201, "POST", "/teams", { token, body: { name: `${names[0]} team` } });
  const teamId = team.json<{ team: { id: number } }>().team.id;
  const userRates: (number | null)[] = [];
  for (const [index, member] of members.entries()) {
    const path = `/teams/${teamId}/members/${encodeURIComponent(member.username)}`;
    await client.expect(200, "PUT", path, { token, body: { lead: index === 0 } });
    const rate = index % 2 === 0 ? null : 6_000 + index * 100;
    if (rate !== null) {
      await client.expect(200, "PATCH", `/users/${encodeURIComponent(member.username)}`, { token, body: { hourly_rate_cents: rate } });
    }
    userRates.push(rate);
  }
  const categories = (await client.expect(200, "GET", "/category", { token })).json<{ categories: { id: number }[] }>().categories;
  const memberIds = members.map((member) => member.id);
  const api = (performance.now() - started) / 1000;

  const insertStarted = performance.now();
  const categoryIds = categories.map((category) => category.id);
  const made = await insertEntries(store, (firstId) => planEntries(memberIds, userRates, entries, firstId, categoryIds, catalogue));
  const insert = (performance.now() - insertStarted) / 1000;
  const stored = await store.countEntries(memberIds);
  if (stored !== made.entries.length) throw new Error(`the team's ${made.entries.length} entries were inserted, the database holds ${stored}`);
  return {
    teamId,
    lead: { id: lead.id, username: lead.username, token: lead.token },
    memberIds,
    entries: made.entries.length,
    entryTags: made.tags.length,
    expected: made.expected,
    seconds: { api, insert },
  };
}
