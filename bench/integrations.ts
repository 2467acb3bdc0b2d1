/**
 * The integrations' scenarios: a sync client catching up on a big feed (`sync_catchup`), one
 * big CSV import (`import`), and entry writes with a webhook against the same writes without
 * one (`webhook_writes`).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { CSV_COLUMNS } from "../src/adapters/http/csv-export.js";
import { IMPORT_BODY_LIMIT_BYTES } from "../src/adapters/http/routes/imports.js";
import { iso, walkEntries, type BenchUser, type SlotPlan } from "./api.js";
import { startCpuMeter } from "./cpu.js";
import { sleep } from "./http.js";
import { LatencyRecorder, runInTurns, type LoadResult } from "./load.js";
import { readMemory, resetPeak, sampleMemory } from "./processes.js";
import { percent, rate, skippedRow, type Row } from "./report.js";
import { bearer, entryWritePlan, rowFrom, thousands, turnsFor, type BenchContext } from "./scenarios.js";

// --- sync_catchup -------------------------------------------------------------------------------

/** The page size of the catch-up: the largest the feed gives. */
export const SYNC_LIMIT = 1000;
/** The catch-up's target, in changes per second over the whole walk. */
const SYNC_MIN_CHANGES_PER_SECOND = 20_000;

type SyncChange = { readonly op: "upsert"; readonly entry: { readonly id: number } } | { readonly op: "delete"; readonly id: number };

interface SyncPageBody {
  readonly changes: readonly SyncChange[];
  readonly next_cursor: string;
  readonly has_more: boolean;
}

interface SyncWalk {
  readonly pages: number;
  readonly upserts: number;
  readonly deletes: number;
  /** Entries seen, each once however often the walk named it. */
  readonly distinct: number;
  readonly bytes: number;
  readonly lastCursor: string;
}

/** One catch-up from no cursor: `GET /sync/entries?limit=` through every `next_cursor` until `has_more` is false. */
async function syncWalk(ctx: BenchContext, user: BenchUser, latencies: LatencyRecorder | null): Promise<SyncWalk> {
  const seen = new Set<number>();
  let cursor: string | null = null;
  let upserts = 0;
  let deletes = 0;
  let bytes = 0;
  for (let pages = 1; pages <= 1_000_000; pages++) {
    const path: string = `/sync/entries?limit=${SYNC_LIMIT}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const t0 = performance.now();
    const res = await ctx.client.send("GET", path, { token: user.token });
    latencies?.add(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET /sync/entries answered ${res.status} on page ${pages}: ${res.text.slice(0, 200)}`);
    bytes += Buffer.byteLength(res.text);
    const body = res.json<SyncPageBody>();
    for (const change of body.changes) {
      if (change.op === "upsert") {
        upserts++;
        seen.add(change.entry.id);
      } else deletes++;
    }
    cursor = body.next_cursor;
    if (!body.has_more) return { pages, upserts, deletes, distinct: seen.size, bytes, lastCursor: cursor };
  }
  throw new Error("GET /sync/entries: more than a million pages");
}

export async function syncCatchup(ctx: BenchContext): Promise<Row[]> {
  const user = ctx.users.big;
  if (!user) throw new Error("sync_catchup needs the seeded big user");
  const id = `sync_catchup (${thousands(ctx.seeded.big)} entries, limit=${SYNC_LIMIT})`;
  const direct = await ctx.store.countEntries([user.id]);
  const stored = direct ?? ctx.seeded.big;
  const ceiling = await ctx.ceiling("raw_sync");

  const failures: string[] = [];
  const checkWalk = (walk: SyncWalk) => {
    if (failures.length > 0) return;
    if (walk.upserts !== stored || walk.distinct !== stored || walk.deletes !== 0) {
      failures.push(
        `a walk gave ${walk.upserts} upserts of ${walk.distinct} entries and ${walk.deletes} deletes; the user has ${stored} entries`,
      );
    }
  };
  // Unmeasured walks first (full runs), at least one whole walk if there is a warm-up at all.
  const warmEnd = performance.now() + ctx.options.warmup * 1000;
  while (performance.now() < warmEnd) checkWalk(await syncWalk(ctx, user, null));

  const latencies = new LatencyRecorder();
  const stopMeter = startCpuMeter(ctx.cpu);
  const started = performance.now();
  const deadline = started + ctx.options.duration * 1000;
  let walks = 0;
  let pages = 0;
  let changes = 0;
  let bytes = 0;
  let last: SyncWalk | null = null;
  // At least one walk; as many as fit in the scenario's time, one after another.
  for (let i = 0; i < 10_000 && (i === 0 || performance.now() < deadline); i++) {
    last = await syncWalk(ctx, user, latencies);
    walks++;
    pages += last.pages;
    changes += last.upserts + last.deletes;
    bytes += last.bytes;
    checkWalk(last);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = stopMeter(pages);

  // Caught up: the last cursor has nothing more to give.
  if (last) {
    const after = await ctx.client.send("GET", `/sync/entries?limit=${SYNC_LIMIT}&cursor=${encodeURIComponent(last.lastCursor)}`, {
      token: user.token,
    });
    const body = after.status === 200 ? after.json<SyncPageBody>() : null;
    if (!body || body.changes.length !== 0 || body.has_more) {
      failures.push(`the last cursor answered ${after.status} with ${body?.changes.length ?? "?"} changes (none expected)`);
    }
  }

  const changesPerSecond = changes / seconds;
  const load: LoadResult = {
    seconds,
    responses: pages,
    rps: pages / seconds,
    responsesPerSecond: pages / seconds,
    latency: latencies.summary(),
    ok: pages,
    non2xx: 0,
    statusCounts: { "200": pages },
    errors: 0,
    timeouts: 0,
    bytes,
    cpu,
  };
  const share = ceiling ? changesPerSecond / ceiling.rate : null;
  return [
    rowFrom(id, "sync_catchup", load, {
      ratio: share,
      ratioText:
        `${rate(changesPerSecond)} changes/s; ` +
        (ceiling ? `${percent(share ?? 0)} of raw_sync (${rate(ceiling.rate)} changes/s)` : "— (no ceiling)"),
      target: `≥ ${SYNC_MIN_CHANGES_PER_SECOND.toLocaleString("en-US")} changes/s`,
      pass: changesPerSecond >= SYNC_MIN_CHANGES_PER_SECOND,
      failures,
      notes: [
        `${walks} walk(s) of ${last?.pages ?? 0} pages from no cursor, one page at a time; req/s and p50/p99 are pages`,
        `every walk: ${stored} upserts, each entry once, no deletes${direct === null ? "" : " (COUNT(*) of the user's entries)"}`,
        `${((last?.bytes ?? 0) / 1e6).toFixed(1)} MB per walk`,
      ],
    }),
  ];
}

// --- import -------------------------------------------------------------------------------------

/** The import's targets on SQLite at 100,000 rows: wall time (scaled with the rows) and peak RSS growth. */
const IMPORT_SECONDS_PER_100K = 20;
const IMPORT_MAX_GROWTH_MIB = 64;

/** Where the imported entries go: a year and more of 10-minute entries every 15 minutes, before every other plan. */
const IMPORT_PLAN: SlotPlan = { baseMs: Date.UTC(2011, 0, 1), stepSeconds: 900, lengthSeconds: 600 };

/**
 * A file as this service's own CSV export writes it (the 13 columns of `CSV_COLUMNS`, CRLF, ids
 * and username filled in), one entry per row, none overlapping, no notes, tags or projects, the
 * categories the bench already made. The seven-column form when thirteen would pass the body limit.
 */
export function importFile(rows: number, username: string, categories: readonly string[]): { body: Buffer; columns: number } {
  for (const columns of [CSV_COLUMNS.length, 7]) {
    const lines: string[] = [CSV_COLUMNS.slice(0, columns).join(",")];
    for (let i = 0; i < rows; i++) {
      const start = IMPORT_PLAN.baseMs + i * IMPORT_PLAN.stepSeconds * 1000;
      const end = start + IMPORT_PLAN.lengthSeconds * 1000;
      const category = categories[i % categories.length] as string;
      const seven = `${i + 1},${username},${category},${iso(start)},${iso(end)},${IMPORT_PLAN.lengthSeconds},`;
      // project, client, tags, billable, hourly_rate_cents, amount_cents
      lines.push(columns === 7 ? seven : `${seven},,,,false,,`);
    }
    const body = Buffer.from(`${lines.join("\r\n")}\r\n`);
    if (body.length <= IMPORT_BODY_LIMIT_BYTES) return { body, columns };
  }
  throw new Error(`${rows} rows do not fit the import's ${IMPORT_BODY_LIMIT_BYTES} bytes`);
}

interface ImportAnswer {
  readonly format: string;
  readonly rows: number;
  readonly created: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly errors: readonly { row: number; message: string }[];
  readonly created_categories: readonly string[];
}

/** POST /imports of `body`, read to its end. */
function postImport(ctx: BenchContext, user: BenchUser, body: Buffer): Promise<{ status: number; text: string; ms: number }> {
  const url = new URL("/imports?format=time-tracker", ctx.service.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { ...bearer(user), "content-type": "text/csv", "content-length": String(body.length) },
        timeout: 30 * 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("the import timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

export async function importCsv(ctx: BenchContext): Promise<Row[]> {
  const user = ctx.users.importer;
  if (!user) throw new Error("import needs its user");
  const rows = ctx.options.seeds.importRows;
  const file = importFile(rows, user.username, ctx.categories);
  const id = `import (${thousands(rows)}-row CSV, ${file.columns} columns)`;

  await sleep(500);
  const before = await readMemory(ctx.service.pid);
  if (!before) return [skippedRow(id, "import", "cannot read the service's memory (no /proc, no ps)")];
  const peakReset = resetPeak(ctx.service.pid);
  const sampler = sampleMemory(ctx.service.pid, 5);
  const stopMeter = startCpuMeter(ctx.cpu);
  const answer = await postImport(ctx, user, file.body);
  const cpu = stopMeter(1);
  await sleep(50);
  const memory = await sampler.stop();
  const peakKiB = Math.max(memory.peakKiB, peakReset && memory.hwmKiB !== null ? memory.hwmKiB : 0);
  const growthMiB = (peakKiB - before.rssKiB) / 1024;
  const seconds = answer.ms / 1000;

  const failures: string[] = [];
  let report: ImportAnswer | null = null;
  if (answer.status !== 200) failures.push(`POST /imports answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  else {
    report = JSON.parse(answer.text) as ImportAnswer;
    const whole = report.rows === rows && report.created === rows && report.duplicates === 0 && report.failed === 0;
    if (report.format !== "time-tracker" || !whole) {
      failures.push(
        `the import answered format ${report.format}, rows ${report.rows}, created ${report.created}, duplicates ${report.duplicates}, ` +
          `failed ${report.failed} (first error: ${report.errors[0]?.message ?? "none"}); ${rows} rows were sent`,
      );
    }
  }
  const listed = (await walkEntries(ctx.client, user, 1000)).count;
  const dbCount = await ctx.store.countEntries([user.id]);
  const created = report?.created ?? 0;
  const ok = listed === rows && created === rows && (dbCount === null || dbCount === rows);
  const check = {
    ok,
    written: created,
    inFlight: 0,
    inFlightStored: 0,
    stored: listed,
    detail: ok ? "every row of the file is stored, nothing else" : `${rows} rows sent, ${created} created, ${listed} listed`,
    dbCount,
  };

  const latency = { samples: 1, mean: answer.ms, p50: answer.ms, p90: answer.ms, p99: answer.ms, max: answer.ms };
  const load: LoadResult = {
    seconds,
    responses: 1,
    rps: answer.status === 200 ? 1 / seconds : 0,
    responsesPerSecond: 1 / seconds,
    latency,
    ok: answer.status === 200 ? 1 : 0,
    non2xx: answer.status === 200 ? 0 : 1,
    statusCounts: { [String(answer.status)]: 1 },
    errors: 0,
    timeouts: 0,
    bytes: answer.text.length,
    cpu,
  };
  // The targets are SQLite's. The time is for 100,000 rows (and scales up with a bigger file); a
  // smaller file (quick) is mostly start-up and warm-up, so it is held to the memory target alone.
  const sqlite = ctx.store.storage === "sqlite";
  const timed = rows >= 100_000;
  const maxSeconds = (IMPORT_SECONDS_PER_100K * rows) / 100_000;
  const timeOk = seconds <= maxSeconds;
  const memoryOk = growthMiB <= IMPORT_MAX_GROWTH_MIB;
  const memoryTarget = `≤ +${IMPORT_MAX_GROWTH_MIB} MiB`;
  const target = timed
    ? `≤ ${maxSeconds.toFixed(0)} s, ${memoryTarget}`
    : `${memoryTarget} (the time target, ${IMPORT_SECONDS_PER_100K} s, is for 100k rows)`;
  return [
    {
      ...rowFrom(id, "import", load, {
        ratio: growthMiB,
        ratioText:
          `${seconds.toFixed(1)} s, ${rate(rows / seconds)} rows/s; peak RSS +${growthMiB.toFixed(1)} MiB ` +
          `(${(before.rssKiB / 1024).toFixed(0)} → ${(peakKiB / 1024).toFixed(0)} MiB)`,
        target: sqlite ? target : `— (SQLite's: ${target})`,
        pass: sqlite ? memoryOk && (!timed || timeOk) : null,
        check,
        failures,
        notes: [
          `${(file.body.length / 1e6).toFixed(1)} MB posted once to /imports?format=time-tracker; req/s is 1 ÷ the wall time`,
          `${timed ? (timeOk ? "time ok" : "time over") : "time not judged"}, ${memoryOk ? "memory ok" : "memory over"}`,
          `${memory.samples} RSS samples every 5 ms${peakReset ? " + VmHWM reset before the import" : ""}`,
          `created categories: ${report?.created_categories.length ?? 0}`,
        ],
      }),
    },
  ];
}

// --- webhook_writes -----------------------------------------------------------------------------

/** The least share of the plain writes' rate that writes with a webhook keep. */
const WEBHOOK_MINIMUM = 0.85;
/** Deliveries still missing are lost once none has arrived for this long (or the wait hits its cap). */
const DRAIN_QUIET_SECONDS = 30;
const DRAIN_MAX_SECONDS = 300;

/** A webhook receiver in this process: answers every POST with 204 and counts the events by `webhook-id`. */
interface Receiver {
  readonly url: string;
  /** Requests received (retries included). */
  readonly requests: () => number;
  /** Distinct event ids received. */
  readonly events: () => number;
  /** When the latest request arrived (performance.now()). */
  readonly lastAt: () => number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const ids = new Set<string>();
  let requests = 0;
  let lastAt = performance.now();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      requests++;
      lastAt = performance.now();
      const id = req.headers["webhook-id"];
      if (typeof id === "string") ids.add(id);
      res.writeHead(204);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    events: () => ids.size,
    lastAt: () => lastAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Waits until the receiver has had one event per entry `users` have stored (or the deliveries
 * stop: none for DRAIN_QUIET_SECONDS, or DRAIN_MAX_SECONDS in all). Without a database to count
 * in, until none has arrived for a second.
 */
async function drain(ctx: BenchContext, receiver: Receiver, users: readonly BenchUser[]): Promise<void> {
  const ids = users.map((user) => user.id);
  const start = performance.now();
  for (;;) {
    const stored = await ctx.store.countEntries(ids);
    const now = performance.now();
    const quiet = now - Math.max(receiver.lastAt(), start);
    if (stored === null ? quiet > 1000 : receiver.events() >= stored) return;
    if (quiet > DRAIN_QUIET_SECONDS * 1000 || now - start > DRAIN_MAX_SECONDS * 1000) return;
    await sleep(100);
  }
}

/**
 * The entry_write load for 32 users without webhooks and for 32 others with one active webhook
 * each, run in turns (see runInTurns). After each slice with webhooks the bench waits, outside the
 * measured time, until that slice's events have all arrived: no delivery of one slice runs in the
 * next, so each slice with webhooks pays for the deliveries made while it ran, and no more.
 */
export async function webhookWrites(ctx: BenchContext): Promise<Row[]> {
  const plainUsers = ctx.users.plainWriters;
  const hookedUsers = ctx.users.hookedWriters;
  if (plainUsers.length === 0 || hookedUsers.length === 0) throw new Error("webhook_writes needs its writers");
  const receiver = await startReceiver();
  const webhooks: { id: number; user: BenchUser }[] = [];
  try {
    // One active webhook of every event for each writer of the second load, on the receiver.
    for (const user of hookedUsers) {
      const res = await ctx.client.expect(201, "POST", "/webhooks", {
        token: user.token,
        body: { url: `${receiver.url}/hooks/${user.id}`, events: ["*"], description: "bench webhook_writes" },
      });
      webhooks.push({ id: res.json<{ webhook: { id: number } }>().webhook.id, user });
    }
    const plainPlan = entryWritePlan(ctx, plainUsers, () => "");
    const hookedPlan = entryWritePlan(ctx, hookedUsers, () => "");
    const rounds = turnsFor(ctx.options.duration);
    let duringSlices = 0;
    let drainSeconds = 0;
    let sliceStart = receiver.events();
    const [plainLoad, hookedLoad] = (await runInTurns([plainPlan.spec, hookedPlan.spec], ctx.options.duration, rounds, async (index) => {
      if (index !== 1) return;
      duringSlices += receiver.events() - sliceStart;
      const waitStart = performance.now();
      await drain(ctx, receiver, hookedUsers);
      drainSeconds += (performance.now() - waitStart) / 1000;
      sliceStart = receiver.events();
    })) as [LoadResult, LoadResult];
    const plainCheck = await plainPlan.check();
    const hookedCheck = await hookedPlan.check();
    // Writes cut off at a slice's end may land after its drain: wait for their events too.
    await drain(ctx, receiver, hookedUsers);
    const turns = rounds > 1 ? `run in turns: ${rounds} slices each` : "one slice each";
    const plainRow = rowFrom(`webhook_writes without a webhook (${plainUsers.length} users)`, "webhook_writes", plainLoad, {
      check: plainCheck,
      notes: [`the reference of the next row, ${turns}`],
    });

    const expected = hookedCheck.stored;
    const drained = receiver.events();
    const statuses = await ctx.store.deliveryStatuses(webhooks.map((webhook) => webhook.id));
    const failures: string[] = [];
    const statusText = statuses === null ? "" : `; delivery log: ${JSON.stringify(statuses)}`;
    if (drained < expected) {
      failures.push(`${expected - drained} of ${expected} events never reached the receiver${statusText}`);
    } else if (drained > expected) {
      failures.push(`${drained} distinct events for ${expected} stored entries`);
    }
    const ratio = plainLoad.rps > 0 ? hookedLoad.rps / plainLoad.rps : null;
    const hookedRow = rowFrom(`webhook_writes with a webhook each (${hookedUsers.length} users)`, "webhook_writes", hookedLoad, {
      check: hookedCheck,
      failures,
      ratio,
      ratioText: ratio === null ? "— (no plain rate)" : `${ratio.toFixed(2)}× the run without (${rate(plainLoad.rps)}/s)`,
      target: `≥ ${WEBHOOK_MINIMUM}× without`,
      pass: ratio === null ? null : ratio >= WEBHOOK_MINIMUM,
      notes: [
        `${turns}; deliveries: ${drained} distinct events of ${expected} stored writes (${receiver.requests()} requests), ` +
          `${duringSlices} of them while the slices ran, the rest in ${drainSeconds.toFixed(1)} s of waits between them${statusText}`,
      ],
    });
    return [plainRow, hookedRow];
  } finally {
    // No more deliveries once the scenario is over.
    for (const webhook of webhooks) {
      await ctx.client.send("DELETE", `/webhooks/${webhook.id}`, { token: webhook.user.token }).catch(() => undefined);
    }
    await receiver.close();
  }
}
