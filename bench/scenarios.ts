import { request } from "node:http";
import { performance } from "node:perf_hooks";
import {
  countWorkingTokens,
  entryBody,
  iso,
  PASSWORD,
  random,
  storedSlots,
  usernamesWithPrefix,
  type BenchUser,
  type SlotPlan,
} from "./api.js";
import { libuvPoolSize, type Ceiling } from "./ceilings.js";
import { startCpuMeter, type CpuWatch } from "./cpu.js";
import { sleep, type HttpClient } from "./http.js";
import { checkLedger, LatencyRecorder, runInTurns, runLoad, WriteLedger, type LoadResult, type LoadSpec, type RequestContext } from "./load.js";
import type { BenchOptions, ScenarioName } from "./options.js";
import { readMemory, resetPeak, sampleMemory, type ChildServer } from "./processes.js";
import { ms, percent, rate, skippedRow, type Row } from "./report.js";
import type { PreparedStore } from "./stores.js";
import { REPORT_YEAR, type Catalogue, type TeamSeed } from "./team.js";

/** Everything a scenario needs: the running service, its seeded users and the ceilings. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly store: PreparedStore;
  readonly service: ChildServer;
  readonly client: HttpClient;
  readonly tag: string;
  readonly categories: readonly string[];
  /** The processes whose CPU each load reports. */
  readonly cpu: CpuWatch;
  /** A ceiling, measured the first time a scenario asks for it (undefined where the store has none). */
  ceiling(name: Ceiling["name"]): Promise<Ceiling | undefined>;
  readonly users: {
    readonly main: BenchUser;
    readonly writers: readonly BenchUser[];
    /** Writers of entries with a project and three tags. */
    readonly tagged: readonly BenchUser[];
    readonly single: BenchUser | null;
    readonly small: BenchUser | null;
    readonly big: BenchUser | null;
    readonly summary: BenchUser | null;
    /** The user whose file the import scenario posts (no entries before it). */
    readonly importer: BenchUser | null;
    /** Writers of webhook_writes: the plain run's, then those with a webhook each. */
    readonly plainWriters: readonly BenchUser[];
    readonly hookedWriters: readonly BenchUser[];
  };
  readonly seeded: { readonly small: number; readonly big: number; readonly summary: number };
  /** Clients, projects and tags (for the tagged writes and the team's entries). */
  readonly catalogue: Catalogue | null;
  /** The team whose year is reported, with its entries inserted in bulk (mysql and sqlite). */
  readonly team: TeamSeed | null;
  /** Cursors of every page, per reading user and page size, collected while checking the seed. */
  readonly cursors: ReadonlyMap<string, readonly (string | null)[]>;
  readonly plans: { readonly write: SlotPlan; readonly summary: SlotPlan; readonly summaryMonth: { from: string; to: string } };
}

const JSON_HEADERS = { "content-type": "application/json" };

export function bearer(user: BenchUser): Record<string, string> {
  return { authorization: `Bearer ${user.token}` };
}

interface RowParts {
  readonly ratio?: number | null;
  readonly ratioText?: string;
  readonly target?: string;
  readonly pass?: boolean | null;
  readonly check?: Row["check"];
  readonly failures?: readonly string[];
  readonly notes?: readonly string[];
}

/** A row from a load result; any non-2xx or error is unexpected unless `allowed` says otherwise. */
export function rowFrom(id: string, scenario: ScenarioName, load: LoadResult, parts: RowParts = {}): Row {
  const failures = [...(parts.failures ?? [])];
  if (load.non2xx > 0) failures.push(`${load.non2xx} unexpected non-2xx (${JSON.stringify(load.statusCounts)})`);
  if (load.errors > 0) failures.push(`${load.errors} connection errors (${load.timeouts} timeouts)`);
  if (parts.check && !parts.check.ok) failures.push(`count check: ${parts.check.detail}`);
  if (parts.check && parts.check.dbCount !== null && parts.check.dbCount !== parts.check.stored) {
    failures.push(`database holds ${parts.check.dbCount} rows, the API lists ${parts.check.stored}`);
  }
  return {
    id,
    scenario,
    skipped: null,
    rps: load.rps,
    latency: load.latency,
    responses: load.responses,
    non2xx: load.non2xx,
    statusCounts: load.statusCounts,
    errors: load.errors,
    ratio: parts.ratio ?? null,
    ratioText: parts.ratioText ?? "—",
    target: parts.target ?? "—",
    pass: parts.pass ?? null,
    check: parts.check ?? null,
    failures,
    notes: [...(parts.notes ?? [])],
    cpu: load.cpu,
  };
}

/** rps as a share of a ceiling's rate, against a minimum share (or no target). */
function againstCeiling(
  rps: number,
  ceiling: Ceiling | undefined,
  minimum: number | null,
): Pick<RowParts, "ratio" | "ratioText" | "target" | "pass"> {
  if (!ceiling) return { ratio: null, ratioText: "— (no ceiling)", target: minimum === null ? "—" : `≥ ${percent(minimum)}`, pass: null };
  const ratio = rps / ceiling.rate;
  return {
    ratio,
    ratioText: `${percent(ratio)} of ${ceiling.name}`,
    target: minimum === null ? "—" : `≥ ${percent(minimum)}`,
    pass: minimum === null ? null : ratio >= minimum,
  };
}

/** A load whose CPU use, per process, goes into its row. */
function measure(ctx: BenchContext, spec: Parameters<typeof runLoad>[0]): Promise<LoadResult> {
  return runLoad({ ...spec, cpu: ctx.cpu });
}

async function warm(ctx: BenchContext, spec: Parameters<typeof runLoad>[0]): Promise<void> {
  if (ctx.options.warmup > 0) await runLoad({ ...spec, duration: ctx.options.warmup, amount: undefined });
}

/**
 * Reads the store until two reads in a row agree (at most 10), so that writes still in flight
 * when the load stopped have landed or are gone before anything is compared.
 */
async function settled<T>(read: () => Promise<T>, same: (a: T, b: T) => boolean): Promise<T> {
  await sleep(300);
  let last = await read();
  for (let attempt = 0; attempt < 10; attempt++) {
    await sleep(300);
    const next = await read();
    if (same(last, next)) return next;
    last = next;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------

export async function health(ctx: BenchContext): Promise<Row[]> {
  const bare = await ctx.ceiling("bare_http");
  const spec = {
    url: `${ctx.service.url}/health`,
    connections: ctx.options.connections,
    duration: ctx.options.duration,
  };
  await warm(ctx, spec);
  const load = await measure(ctx, spec);
  return [rowFrom("health", "health", load, againstCeiling(load.rps, bare, 0.1))];
}

export async function category(ctx: BenchContext): Promise<Row[]> {
  const bare = await ctx.ceiling("bare_http");
  const spec = {
    url: `${ctx.service.url}/category`,
    connections: ctx.options.connections,
    duration: ctx.options.duration,
    request: { method: "GET" as const, path: "/category", headers: bearer(ctx.users.main) },
  };
  await warm(ctx, spec);
  const load = await measure(ctx, spec);
  return [
    rowFrom(`category (GET, ${ctx.categories.length} names)`, "category", load, {
      ...againstCeiling(load.rps, bare, 0.1),
    }),
  ];
}

/** Connections for the argon2-bound scenarios: twice the libuv pool keeps it full without long queues. */
function argonConnections(): number {
  return Math.max(2, libuvPoolSize() * 2);
}

export async function register(ctx: BenchContext): Promise<Row[]> {
  const argon = await ctx.ceiling("argon2");
  const prefix = `${ctx.tag}_reg_`;
  const ledger = new WriteLedger();
  const load = await measure(ctx, {
    url: ctx.service.url,
    connections: argonConnections(),
    duration: ctx.options.duration,
    request: { method: "POST", path: "/register", headers: JSON_HEADERS },
    next: (context) => {
      const key = ledger.issue(context);
      return { body: `{"username":"${prefix}${key}","password":"${PASSWORD}"}` };
    },
    onResponse: (status, _body, context) => ledger.record(status, context),
  });
  const names = await settled(
    () => usernamesWithPrefix(ctx.client, ctx.users.main.token, prefix),
    (a, b) => a.size === b.size,
  );
  const keys = new Set<number>();
  let offPlan = 0;
  for (const name of names) {
    const key = Number(name.slice(prefix.length));
    if (Number.isInteger(key) && key >= 0) keys.add(key);
    else offPlan++;
  }
  const check = { ...checkLedger(ledger, keys, keys.size + offPlan), dbCount: null };
  return [
    rowFrom("register", "register", load, {
      ...againstCeiling(load.rps, argon, null),
      check,
      notes: ["one argon2id hash per request"],
    }),
  ];
}

export async function login(ctx: BenchContext): Promise<Row[]> {
  const argon = await ctx.ceiling("argon2");
  const tokens: string[] = [];
  const body = JSON.stringify({ username: ctx.users.main.username, password: PASSWORD });
  const load = await measure(ctx, {
    url: ctx.service.url,
    connections: argonConnections(),
    duration: ctx.options.duration,
    request: { method: "POST", path: "/login", headers: JSON_HEADERS, body },
    onResponse: (status, text) => {
      if (status !== 200 || tokens.length >= 200_000) return;
      const token = (JSON.parse(text) as { token?: unknown }).token;
      if (typeof token === "string") tokens.push(token);
    },
  });
  await sleep(300);
  // Each 2xx login wrote a session: every token it handed out must open GET /me.
  const working = await countWorkingTokens(ctx.client, tokens);
  const detail =
    working === load.ok ? "every 2xx login's token opens GET /me" : `${load.ok - working} of ${load.ok} tokens do not work`;
  const check = {
    ok: working === load.ok,
    written: load.ok,
    inFlight: 0,
    inFlightStored: 0,
    stored: working,
    detail,
    dbCount: null,
  };
  return [
    rowFrom("login", "login", load, {
      ...againstCeiling(load.rps, argon, 0.85),
      check,
      notes: ["one argon2id verification per request"],
    }),
  ];
}

/** A load of entry writes and the check of what it stored, for the count check after it ran. */
export interface EntryWritePlan {
  readonly spec: Omit<LoadSpec, "duration" | "amount" | "latencies">;
  /** Once the load has stopped: what was stored against what was acknowledged. */
  readonly check: () => Promise<NonNullable<Row["check"]>>;
}

/** Entry writes for `users`, each request a fresh slot of one of them (the ledger spans every slice of the load). */
export function entryWritePlan(ctx: BenchContext, users: readonly BenchUser[], extra: (slot: number) => string): EntryWritePlan {
  const plan = ctx.plans.write;
  const ledger = new WriteLedger();
  const n = users.length;
  const spec: EntryWritePlan["spec"] = {
    url: ctx.service.url,
    connections: ctx.options.connections,
    cpu: ctx.cpu,
    request: { method: "POST", path: "/entry" },
    next: (context: RequestContext) => {
      // Key k: user k mod n, that user's slot ⌊k / n⌋, so every write has its own place.
      const key = ledger.issue(context);
      const user = users[key % n] as BenchUser;
      const slot = Math.floor(key / n);
      return {
        headers: { ...JSON_HEADERS, ...bearer(user) },
        body: entryBody(plan, slot, ctx.categories[slot % ctx.categories.length] as string, extra(slot)),
      };
    },
    onResponse: (status: number, _body: string, context: RequestContext) => ledger.record(status, context),
  };
  const check = async () => {
    const { stored, dbCount } = await settled(
      async () => {
        const dbBefore = await ctx.store.countEntries(users.map((user) => user.id));
        const slots = await storedSlots(ctx.client, users, plan);
        return { stored: slots, dbCount: dbBefore, dbAfter: await ctx.store.countEntries(users.map((user) => user.id)) };
      },
      (a, b) => a.stored.rows === b.stored.rows && a.dbAfter === b.dbAfter && b.dbCount === b.dbAfter,
    );
    const keys = new Set<number>();
    stored.slots.forEach((slots, userIndex) => {
      for (const slot of slots) keys.add(slot * n + userIndex);
    });
    return { ...checkLedger(ledger, keys, stored.rows), dbCount };
  };
  return { spec, check };
}

/** Slices of about 4 s each (at least one) when two loads are compared in turns. */
export function turnsFor(seconds: number): number {
  return Math.max(1, Math.round(seconds / 4));
}

/** The plain writes' row: its share of the raw INSERT ceiling, against its target or none. */
async function entryWriteRow(
  ctx: BenchContext,
  id: string,
  load: LoadResult,
  check: NonNullable<Row["check"]>,
  withTarget: boolean,
): Promise<Row> {
  const ceiling = await ctx.ceiling("raw_insert");
  // Where the rules' statements alone would put it (mysql): the rest of the gap is the service's.
  const transaction = withTarget ? await ctx.ceiling("raw_transaction") : undefined;
  let parts: RowParts = { check };
  if (withTarget) {
    const share = againstCeiling(load.rps, ceiling, 0.3);
    const p99ok = load.latency.p99 < 25;
    parts = {
      ...parts,
      ...share,
      ratioText: transaction ? `${share.ratioText}; ${percent(load.rps / transaction.rate)} of raw_transaction` : share.ratioText,
      target: "≥ 30% and p99 < 25 ms",
      pass: share.pass === null ? null : share.pass && p99ok,
      notes: [`p99 ${p99ok ? "<" : "≥"} 25 ms`],
    };
  } else {
    parts = { ...parts, ...againstCeiling(load.rps, ceiling, null) };
  }
  return rowFrom(id, "entry_write", load, parts);
}

/** The least share of the plain writes' rate that writes with a project and three tags keep. */
const TAGGED_MINIMUM = 0.8;

/**
 * The same writes with a project (one with a rate) and three existing tags each, rotating over
 * the catalogue's tags, for users of their own, set against the plain writes: the two loads run
 * in turns (see runInTurns), each for the scenario's duration in all.
 */
async function plainAndTaggedWrites(ctx: BenchContext): Promise<Row[]> {
  const users = ctx.users.tagged;
  const catalogue = ctx.catalogue;
  const project = catalogue?.projects.find((candidate) => candidate.hourlyRateCents !== null);
  if (!catalogue || !project || catalogue.tags.length < 3) throw new Error("tagged writes need the catalogue");
  const tagsOf = (slot: number) => [0, 1, 2].map((k) => (catalogue.tags[(slot + k) % catalogue.tags.length] as { name: string }).name);
  const plainPlan = entryWritePlan(ctx, ctx.users.writers, () => "");
  const taggedPlan = entryWritePlan(ctx, users, (slot) => `"project_id": ${project.id}, "tags": ${JSON.stringify(tagsOf(slot))}`);
  const rounds = turnsFor(ctx.options.duration);
  const [plainLoad, load] = (await runInTurns([plainPlan.spec, taggedPlan.spec], ctx.options.duration, rounds)) as [LoadResult, LoadResult];
  const plain = await entryWriteRow(ctx, `entry_write (${ctx.users.writers.length} users)`, plainLoad, await plainPlan.check(), true);
  const check = await taggedPlan.check();
  const failures: string[] = [];
  const tagRows = await ctx.store.countEntryTags(users.map((user) => user.id));
  if (tagRows !== null && check.dbCount !== null && tagRows !== 3 * check.dbCount) {
    failures.push(`${check.dbCount} entries stored with ${tagRows} tag rows, not 3 each`);
  }
  const ratio = plain.rps ? load.rps / plain.rps : null;
  const turns = rounds > 1 ? [`run in turns with ${plain.id}: ${rounds} slices each`] : [];
  const tagged = rowFrom(`entry_write tagged (${users.length} users, project + 3 tags)`, "entry_write", load, {
    check,
    failures,
    ratio,
    ratioText: ratio === null ? "— (no plain rate)" : `${ratio.toFixed(2)}× ${plain.id} (${rate(plain.rps ?? 0)}/s)`,
    target: `≥ ${TAGGED_MINIMUM}× plain`,
    pass: ratio === null ? null : ratio >= TAGGED_MINIMUM,
    notes: [...turns, tagRows === null ? "tag rows not counted (no database)" : `${tagRows} tag rows stored, 3 per entry`],
  });
  return [plain, tagged];
}

async function entryWrite(ctx: BenchContext, users: readonly BenchUser[], id: string, withTarget: boolean): Promise<Row> {
  const { spec, check } = entryWritePlan(ctx, users, () => "");
  const load = await measure(ctx, { ...spec, duration: ctx.options.duration });
  return entryWriteRow(ctx, id, load, await check(), withTarget);
}

export async function entryWriteAll(ctx: BenchContext): Promise<Row[]> {
  const rows =
    ctx.users.tagged.length > 0
      ? await plainAndTaggedWrites(ctx)
      : [await entryWrite(ctx, ctx.users.writers, `entry_write (${ctx.users.writers.length} users)`, true)];
  if (ctx.users.single) rows.push(await entryWrite(ctx, [ctx.users.single], "entry_write (1 user)", false));
  return rows;
}

/** Where the cursors of a user's pages of `limit` are kept. */
export function cursorKey(username: string, limit: number): string {
  return `${username}:${limit}`;
}

async function readPages(ctx: BenchContext, user: BenchUser, entries: number, limit: number): Promise<LoadResult & { pages: number }> {
  const cursors = ctx.cursors.get(cursorKey(user.username, limit));
  if (!cursors || cursors.length === 0) throw new Error(`no cursors for ${user.username} at limit ${limit}`);
  const pick = random(entries * 7 + limit);
  const base = `/entries/${encodeURIComponent(user.username)}?limit=${limit}`;
  const spec = {
    url: ctx.service.url,
    connections: ctx.options.connections,
    duration: ctx.options.duration,
    request: { method: "GET" as const, path: base, headers: bearer(user) },
    // Any page, deep ones included, reached through the cursors of a walk over all of them.
    next: () => {
      const cursor = cursors[Math.floor(pick() * cursors.length)] ?? null;
      return { path: cursor === null ? base : `${base}&cursor=${encodeURIComponent(cursor)}` };
    },
  };
  await warm(ctx, spec);
  return { ...(await measure(ctx, spec)), pages: cursors.length };
}

export function thousands(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export async function entriesRead(ctx: BenchContext): Promise<Row[]> {
  const { small, big } = ctx.users;
  if (!small || !big) throw new Error("entries_read needs its seeded users");
  const bare = await ctx.ceiling("bare_http");
  const rows: Row[] = [];
  const small100 = await readPages(ctx, small, ctx.seeded.small, 100);
  rows.push(
    rowFrom(`entries_read limit=100 @ ${thousands(ctx.seeded.small)}`, "entries_read", small100, {
      ...againstCeiling(small100.rps, bare, null),
      notes: [`random pages of ${small100.pages}`],
    }),
  );
  // The same first page from a bare server on a raw pool (mysql): how near Node itself gets.
  const rawPage = await ctx.ceiling("raw_page");
  const small1000 = await readPages(ctx, small, ctx.seeded.small, 1000);
  const smallShare = againstCeiling(small1000.rps, bare, 0.01);
  rows.push(
    rowFrom(`entries_read limit=1000 @ ${thousands(ctx.seeded.small)}`, "entries_read", small1000, {
      ...smallShare,
      ratioText:
        rawPage && bare
          ? `${smallShare.ratioText}; raw_page ${percent(rawPage.rate / bare.rate)} of it, ` +
            `so this is ${percent(small1000.rps / rawPage.rate)} of raw_page`
          : smallShare.ratioText,
      notes: [`random pages of ${small1000.pages}`],
    }),
  );
  const big100 = await readPages(ctx, big, ctx.seeded.big, 100);
  // The cost of a page: its median latency at the same concurrency, against the small user's.
  const growth = small100.latency.p50 > 0 ? big100.latency.p50 / small100.latency.p50 : null;
  rows.push(
    rowFrom(`entries_read limit=100 @ ${thousands(ctx.seeded.big)}`, "entries_read", big100, {
      ratio: growth,
      ratioText: growth === null ? "—" : `${growth.toFixed(2)}× the p50 at ${thousands(ctx.seeded.small)}`,
      target: "≤ 1.5×",
      pass: growth === null ? null : growth <= 1.5,
      notes: [`random pages of ${big100.pages}`, `mean ${big100.latency.mean.toFixed(2)} ms vs ${small100.latency.mean.toFixed(2)} ms`],
    }),
  );
  const big1000 = await readPages(ctx, big, ctx.seeded.big, 1000);
  rows.push(
    rowFrom(`entries_read limit=1000 @ ${thousands(ctx.seeded.big)}`, "entries_read", big1000, {
      ...againstCeiling(big1000.rps, bare, 0.01),
      notes: [`random pages of ${big1000.pages}`],
    }),
  );
  return rows;
}

export async function summary(ctx: BenchContext): Promise<Row[]> {
  const user = ctx.users.summary;
  if (!user) throw new Error("summary needs its seeded user");
  const { from, to } = ctx.plans.summaryMonth;
  const id = `summary (month by day, ${thousands(ctx.seeded.summary)} entries)`;
  const path = `/reports/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&group_by=day`;
  const probe = await ctx.client.send("GET", path, { token: user.token });
  if (probe.status === 404) {
    return [skippedRow(id, "summary", `GET /reports/summary answers 404 (${probe.text.slice(0, 120)})`)];
  }
  const failures: string[] = [];
  if (probe.status !== 200) {
    failures.push(`probe answered ${probe.status}: ${probe.text.slice(0, 200)}`);
  } else {
    const body = probe.json<{ total_seconds?: unknown }>();
    const expected = ctx.seeded.summary * ctx.plans.summary.lengthSeconds;
    if (body.total_seconds !== expected) {
      failures.push(`total_seconds ${String(body.total_seconds)}, the seeded entries make ${expected}`);
    }
  }
  const bare = await ctx.ceiling("bare_http");
  const spec = {
    url: ctx.service.url,
    connections: ctx.options.connections,
    duration: ctx.options.duration,
    request: { method: "GET" as const, path, headers: bearer(user) },
  };
  await warm(ctx, spec);
  const load = await measure(ctx, spec);
  return [rowFrom(id, "summary", load, { ...againstCeiling(load.rps, bare, null), failures })];
}

/** One CSV export read to its end: status, bytes, rows, seconds. */
function exportCsv(
  ctx: BenchContext,
  user: BenchUser,
): Promise<{ status: number; bytes: number; rows: number; ms: number }> {
  const url = new URL(`/entries/${encodeURIComponent(user.username)}?format=csv`, ctx.service.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: bearer(user), timeout: 300_000 }, (res) => {
      let bytes = 0;
      let lines = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on("error", reject);
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, bytes, rows: Math.max(0, lines - 1), ms: performance.now() - started }),
      );
    });
    req.on("timeout", () => req.destroy(new Error("CSV export timed out")));
    req.on("error", reject);
    req.end();
  });
}

export async function csv(ctx: BenchContext): Promise<Row[]> {
  const user = ctx.users.big;
  if (!user) throw new Error("csv needs its seeded user");
  const id = `csv (${thousands(ctx.seeded.big)} entries)`;
  await sleep(500);
  const before = await readMemory(ctx.service.pid);
  if (!before) return [skippedRow(id, "csv", "cannot read the service's memory (no /proc, no ps)")];
  const peakReset = resetPeak(ctx.service.pid);
  const sampler = sampleMemory(ctx.service.pid, 5);
  const latencies = new LatencyRecorder();
  const failures: string[] = [];
  const statusCounts: Record<string, number> = {};
  let exports = 0;
  let non2xx = 0;
  let bytes = 0;
  const started = performance.now();
  const stopMeter = startCpuMeter(ctx.cpu);
  const deadline = started + ctx.options.duration * 1000;
  // At least one export; as many as fit in the scenario's time, one after another (at most 1000).
  for (let i = 0; i < 1000 && (i === 0 || performance.now() < deadline); i++) {
    const result = await exportCsv(ctx, user);
    exports++;
    latencies.add(result.ms);
    bytes = result.bytes;
    statusCounts[String(result.status)] = (statusCounts[String(result.status)] ?? 0) + 1;
    if (result.status !== 200) non2xx++;
    else if (result.rows !== ctx.seeded.big && failures.length === 0) {
      failures.push(`export had ${result.rows} rows, ${ctx.seeded.big} are stored`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = stopMeter(exports);
  await sleep(50);
  const memory = await sampler.stop();
  const peakKiB = Math.max(memory.peakKiB, peakReset && memory.hwmKiB !== null ? memory.hwmKiB : 0);
  const growthMiB = (peakKiB - before.rssKiB) / 1024;
  const load: LoadResult = {
    seconds,
    responses: exports,
    rps: (exports - non2xx) / seconds,
    responsesPerSecond: exports / seconds,
    latency: latencies.summary(),
    ok: exports - non2xx,
    non2xx,
    statusCounts,
    errors: 0,
    timeouts: 0,
    bytes,
    cpu,
  };
  return [
    rowFrom(id, "csv", load, {
      ratio: growthMiB,
      ratioText: `peak RSS +${growthMiB.toFixed(1)} MiB (${(before.rssKiB / 1024).toFixed(0)} → ${(peakKiB / 1024).toFixed(0)} MiB)`,
      target: "growth < 50 MB",
      pass: growthMiB * 1.048576 < 50,
      failures,
      notes: [
        `${exports} export(s), ${(bytes / 1e6).toFixed(1)} MB each, ${(ctx.seeded.big / (load.latency.p50 / 1000)).toFixed(0)} rows/s at p50`,
        `${memory.samples} RSS samples every 5 ms${peakReset ? " + VmHWM reset before the export" : ""}`,
      ],
    }),
  ];
}

/** The team report's targets: its p50, and its p50 against the raw report ceiling's. */
const TEAM_REPORT_P50_MS = 500;
const TEAM_REPORT_MAX_RATIO = 3;

export async function teamReport(ctx: BenchContext): Promise<Row[]> {
  const team = ctx.team;
  const id = `team_report (year by week, ${team?.memberIds.length ?? ctx.options.seeds.teamUsers} users, ${thousands(team?.entries ?? ctx.options.seeds.teamEntries)} entries)`;
  if (!team) {
    if (ctx.store.storage === "memory") return [skippedRow(id, "team_report", "the memory store cannot be seeded in bulk")];
    throw new Error("team_report needs its seeded team");
  }
  const path =
    `/reports/summary?from=${encodeURIComponent(iso(REPORT_YEAR.from))}&to=${encodeURIComponent(iso(REPORT_YEAR.to))}` +
    `&group_by=week&team_id=${team.teamId}`;
  const failures: string[] = [];
  const probe = await ctx.client.send("GET", path, { token: team.lead.token });
  let weeks = 0;
  if (probe.status !== 200) {
    failures.push(`probe answered ${probe.status}: ${probe.text.slice(0, 200)}`);
  } else {
    const body = probe.json<{ total_seconds: number; billable_seconds: number; amount_cents: number; groups: { seconds: number }[] }>();
    const { expected } = team;
    const got = { totalSeconds: body.total_seconds, billableSeconds: body.billable_seconds, amountCents: body.amount_cents };
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      failures.push(`the report says ${JSON.stringify(got)}, the seeded entries make ${JSON.stringify(expected)}`);
    }
    const grouped = body.groups.reduce((sum, group) => sum + group.seconds, 0);
    if (grouped !== body.total_seconds) failures.push(`the weeks hold ${grouped} s, the total is ${body.total_seconds} s`);
    weeks = body.groups.length;
  }
  const ceiling = await ctx.ceiling("raw_report");
  // One report at a time: its latency, not a queue of them.
  const spec = {
    url: ctx.service.url,
    connections: 1,
    duration: ctx.options.duration,
    request: { method: "GET" as const, path, headers: bearer(team.lead) },
    timeout: 120,
  };
  await warm(ctx, spec);
  const load = await measure(ctx, spec);
  const p50ok = load.latency.p50 <= TEAM_REPORT_P50_MS;
  const ratio = ceiling?.latency && ceiling.latency.p50 > 0 ? load.latency.p50 / ceiling.latency.p50 : null;
  return [
    rowFrom(id, "team_report", load, {
      ratio,
      ratioText: ratio === null || !ceiling?.latency ? "— (no ceiling)" : `${ratio.toFixed(2)}× raw_report's p50 (${ms(ceiling.latency.p50)})`,
      target: `p50 ≤ ${TEAM_REPORT_P50_MS} ms and ≤ ${TEAM_REPORT_MAX_RATIO}× raw_report`,
      pass: ratio === null ? null : p50ok && ratio <= TEAM_REPORT_MAX_RATIO,
      failures,
      notes: [
        `p50 ${p50ok ? "≤" : ">"} ${TEAM_REPORT_P50_MS} ms`,
        `${weeks} weeks, ${thousands(team.entryTags)} tag rows; asked by the team's lead, one request at a time`,
      ],
    }),
  ];
}
