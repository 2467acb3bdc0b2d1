import { eachLimited, type HttpClient } from "./http.js";
import { runLoad, WriteLedger, type RequestContext } from "./load.js";

/** Set-up and checks through the service's own API. */

export const PASSWORD = "bench-password-1";

export interface BenchUser {
  readonly id: number;
  readonly username: string;
  readonly token: string;
}

/**
 * Where a user's benchmark entries go: entry `k` runs from `base + k·step` for `length` seconds,
 * so entries never overlap and each start time names its slot.
 */
export interface SlotPlan {
  readonly baseMs: number;
  readonly stepSeconds: number;
  readonly lengthSeconds: number;
}

export function slotStart(plan: SlotPlan, slot: number): number {
  return plan.baseMs + slot * plan.stepSeconds * 1000;
}

export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The slot an entry starting at `startIso` fills, or null when it is not on the plan. */
export function slotOf(plan: SlotPlan, startIso: string): number | null {
  const offset = Date.parse(startIso) - plan.baseMs;
  const step = plan.stepSeconds * 1000;
  if (!Number.isFinite(offset) || offset < 0 || offset % step !== 0) return null;
  return offset / step;
}

/** A deterministic PRNG in [0, 1), so runs pick the same pages and seed the same data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The JSON of `POST /entry` for a slot; `extra` is more members of the object, as JSON (`"tags": [...]`). */
export function entryBody(plan: SlotPlan, slot: number, category: string, extra = ""): string {
  const start = slotStart(plan, slot);
  // Every seventh entry has a note that needs CSV quoting.
  const note = slot % 7 === 0 ? `, "note": "bench, slot ${slot} \\"quoted\\""` : "";
  const more = extra === "" ? "" : `, ${extra}`;
  return `{"category": ${JSON.stringify(category)}, "start_time": "${iso(start)}", "end_time": "${iso(start + plan.lengthSeconds * 1000)}"${note}${more}}`;
}

/** A registered user, with a token if they logged in. */
export interface RegisteredUser {
  readonly id: number;
  readonly username: string;
  readonly token: string | null;
}

/** Registers the users (one argon2id hash each) and logs in those `logIn` picks (one more each). */
export async function registerUsers(
  client: HttpClient,
  usernames: readonly string[],
  logIn: (index: number) => boolean,
): Promise<RegisteredUser[]> {
  const users = new Array<RegisteredUser>(usernames.length);
  // argon2 runs on the service's libuv pool: a few at a time keep it busy.
  await eachLimited(usernames, 8, async (username, index) => {
    const registered = await client.expect(201, "POST", "/register", { body: { username, password: PASSWORD } });
    let token: string | null = null;
    if (logIn(index)) {
      const res = await client.expect(200, "POST", "/login", { body: { username, password: PASSWORD } });
      token = res.json<{ token: string }>().token;
    }
    users[index] = { id: registered.json<{ user_id: number }>().user_id, username, token };
  });
  return users;
}

export async function registerAndLogIn(client: HttpClient, usernames: readonly string[]): Promise<BenchUser[]> {
  const users = await registerUsers(client, usernames, () => true);
  return users.map((user) => ({ ...user, token: user.token ?? "" }));
}

export async function ensureCategories(client: HttpClient, token: string, names: readonly string[]): Promise<void> {
  for (const name of names) await client.expect([200, 201], "POST", "/category", { token, body: { name } });
}

interface EntryPage {
  readonly entries: { readonly id: number; readonly start_time: string }[];
  readonly next_cursor: string | null;
}

export interface Walk {
  readonly count: number;
  /** The cursor of every page (null for the first). */
  readonly cursors: (string | null)[];
  readonly startTimes: string[];
}

/** Reads all of a user's entries, page by page through `next_cursor` (bounded by `maxPages`). */
export async function walkEntries(
  client: HttpClient,
  user: BenchUser,
  limit: number,
  options: { keepStartTimes?: boolean; maxPages?: number } = {},
): Promise<Walk> {
  const cursors: (string | null)[] = [];
  const startTimes: string[] = [];
  let count = 0;
  let cursor: string | null = null;
  const maxPages = options.maxPages ?? 100_000;
  for (let page = 0; page < maxPages; page++) {
    cursors.push(cursor);
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await client.expect(200, "GET", `/entries/${encodeURIComponent(user.username)}?${query}`, {
      token: user.token,
    });
    const body = res.json<EntryPage>();
    count += body.entries.length;
    if (options.keepStartTimes) for (const entry of body.entries) startTimes.push(entry.start_time);
    if (body.next_cursor === null) return { count, cursors, startTimes };
    cursor = body.next_cursor;
  }
  throw new Error(`${user.username}: more than ${maxPages} pages of ${limit}`);
}

/** Stored slots of the users, read through the API: user index → set of slots, and the row count. */
export async function storedSlots(
  client: HttpClient,
  users: readonly BenchUser[],
  plan: SlotPlan,
): Promise<{ slots: Set<number>[]; rows: number; offPlan: number }> {
  const slots: Set<number>[] = users.map(() => new Set<number>());
  let rows = 0;
  let offPlan = 0;
  await eachLimited(users, 8, async (user, index) => {
    const walk = await walkEntries(client, user, 1000, { keepStartTimes: true });
    rows += walk.count;
    for (const start of walk.startTimes) {
      const slot = slotOf(plan, start);
      if (slot === null) offPlan++;
      else slots[index]?.add(slot);
    }
  });
  return { slots, rows, offPlan };
}

export interface SeedJob {
  readonly user: BenchUser;
  readonly plan: SlotPlan;
  readonly count: number;
}

/**
 * Writes many entries fast: one autocannon run with keep-alive connections, the users' jobs
 * interleaved so that writers of different users run side by side. Throws unless every write is 2xx.
 */
export async function seedEntries(
  url: string,
  jobs: readonly SeedJob[],
  categories: readonly string[],
  connections: number,
): Promise<{ seconds: number; rps: number }> {
  const total = jobs.reduce((sum, job) => sum + job.count, 0);
  if (total === 0) return { seconds: 0, rps: 0 };
  // Round-robin over the jobs that still have entries to write.
  const order = new Uint16Array(total);
  const slotOfWrite = new Uint32Array(total);
  const written = jobs.map(() => 0);
  for (let i = 0; i < total; ) {
    for (let j = 0; j < jobs.length && i < total; j++) {
      const job = jobs[j] as SeedJob;
      if ((written[j] as number) < job.count) {
        order[i] = j;
        slotOfWrite[i] = written[j] as number;
        written[j] = (written[j] as number) + 1;
        i++;
      }
    }
  }
  const ledger = new WriteLedger();
  const failures: string[] = [];
  const result = await runLoad({
    url,
    connections: Math.min(connections, total),
    amount: total,
    request: { method: "POST", path: "/entry" },
    next: (context: RequestContext) => {
      const key = ledger.issue(context);
      const index = Math.min(key, total - 1);
      const job = jobs[order[index] as number] as SeedJob;
      const slot = slotOfWrite[index] as number;
      return {
        headers: { "content-type": "application/json", authorization: `Bearer ${job.user.token}` },
        body: entryBody(job.plan, slot, categories[slot % categories.length] as string),
      };
    },
    onResponse: (status, body, context) => {
      ledger.record(status, context);
      if ((status < 200 || status >= 300) && failures.length < 5) failures.push(`${status} ${body.slice(0, 200)}`);
    },
    timeout: 60,
  });
  if (ledger.issued > total) throw new Error(`seeding sent ${ledger.issued} writes for ${total} slots`);
  const missing = total - ledger.ok().length;
  if (missing > 0 || result.errors > 0) {
    throw new Error(
      `seeding: ${missing} of ${total} writes not answered 2xx (${result.errors} errors): ${failures.join(" | ")}`,
    );
  }
  return { seconds: result.seconds, rps: result.rps };
}

/** Checks that every token still opens GET /me; returns how many do. */
export async function countWorkingTokens(client: HttpClient, tokens: readonly string[]): Promise<number> {
  let working = 0;
  await eachLimited(tokens, 16, async (token) => {
    const res = await client.send("GET", "/me", { token });
    if (res.status === 200) working++;
  });
  return working;
}

/** Every username starting with `prefix` (GET /users, all pages). */
export async function usernamesWithPrefix(client: HttpClient, token: string, prefix: string): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 100_000; page++) {
    const query: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await client.expect(200, "GET", `/users?${query}`, { token });
    const body = res.json<{ users: { username: string }[]; next_cursor: string | null }>();
    for (const user of body.users) if (user.username.startsWith(prefix)) names.add(user.username);
    if (body.next_cursor === null) return names;
    cursor = body.next_cursor;
  }
  throw new Error("GET /users: too many pages");
}
