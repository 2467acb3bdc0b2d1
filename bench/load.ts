import autocannon from "autocannon";
import { startCpuMeter, type CpuShare, type CpuWatch } from "./cpu.js";

/** Latencies in milliseconds, kept exactly (autocannon's own histogram has 1 ms buckets). */
export class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private count = 0;

  constructor(private readonly max = 5_000_000) {}

  add(ms: number): void {
    if (this.count >= this.max) return;
    if (this.count === this.values.length) {
      const next = new Float64Array(Math.min(this.values.length * 2, this.max));
      next.set(this.values);
      this.values = next;
    }
    this.values[this.count++] = ms;
  }

  get size(): number {
    return this.count;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.count).sort();
    const at = (q: number) => (this.count === 0 ? 0 : (sorted[Math.min(this.count - 1, Math.floor(q * this.count))] ?? 0));
    let sum = 0;
    for (const value of sorted) sum += value;
    return {
      samples: this.count,
      mean: this.count === 0 ? 0 : sum / this.count,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: this.count === 0 ? 0 : (sorted[this.count - 1] ?? 0),
    };
  }
}

export interface LatencySummary {
  readonly samples: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadResult {
  /** Seconds the load ran. */
  readonly seconds: number;
  /** Responses received. */
  readonly responses: number;
  /** 2xx answers per second (what the table shows and the ratios use). */
  readonly rps: number;
  /** Every answer per second, whatever its status. */
  readonly responsesPerSecond: number;
  readonly latency: LatencySummary;
  readonly ok: number;
  readonly non2xx: number;
  readonly statusCounts: Record<string, number>;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  readonly bytes: number;
  /** Where the CPU went while the load ran (null when not watched). */
  readonly cpu: CpuShare | null;
}

export type RequestParams = autocannon.RequestParams;
export type RequestContext = autocannon.RequestContext;

export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  /** Seconds; or `amount` requests in total. */
  readonly duration?: number;
  readonly amount?: number;
  /** A fixed request... */
  readonly request?: RequestParams;
  /** ...or one built per request (context travels to `onResponse` of the same request). */
  readonly next?: (context: RequestContext) => RequestParams;
  readonly onResponse?: (status: number, body: string, context: RequestContext) => void;
  /** Seconds before a request counts as timed out. */
  readonly timeout?: number;
  /** Processes whose CPU use to report. */
  readonly cpu?: CpuWatch;
  /** Where to record the latencies (a load in slices shares one); a new one by default. */
  readonly latencies?: LatencyRecorder;
}

/** Runs one autocannon load; a hard stop bounds it even if the server never answers. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = spec.latencies ?? new LatencyRecorder();
  const { next, onResponse } = spec;
  // Always a request list: autocannon's top-level options ignore `path`.
  const requests: autocannon.Request[] = [
    {
      ...spec.request,
      ...(next ? { setupRequest: (base: RequestParams, context: RequestContext) => ({ ...base, ...next(context) }) } : {}),
      ...(onResponse ? { onResponse: (status: number, body: string, context: RequestContext) => onResponse(status, body, context) } : {}),
    },
  ];
  const hardStopMs =
    spec.amount !== undefined ? 30 * 60_000 : ((spec.duration ?? 10) + (spec.timeout ?? 30) + 10) * 1000;

  return new Promise((resolve, reject) => {
    let hardStop: NodeJS.Timeout | undefined;
    const stopMeter = startCpuMeter(spec.cpu);
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        timeout: spec.timeout ?? 30,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
        requests,
      },
      (error, result) => {
        clearTimeout(hardStop);
        if (error) return reject(error);
        const responses = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
        const cpu = stopMeter(responses);
        const statusCounts: Record<string, number> = {};
        for (const [status, { count }] of Object.entries(result.statusCodeStats)) statusCounts[status] = count;
        resolve({
          seconds: result.duration,
          responses,
          rps: result.duration > 0 ? result["2xx"] / result.duration : 0,
          responsesPerSecond: result.duration > 0 ? responses / result.duration : 0,
          latency: latencies.summary(),
          ok: result["2xx"],
          non2xx: result.non2xx,
          statusCounts,
          errors: result.errors,
          timeouts: result.timeouts,
          bytes: result.throughput.total,
          cpu,
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
      latencies.add(responseTime),
    );
    hardStop = setTimeout(() => instance.stop(), hardStopMs);
  });
}

/**
 * Loads compared with each other, run in turns instead of one after the other: `rounds` slices
 * of `duration / rounds` seconds each, in the order A B, B A, A B, ... so that a machine getting
 * faster or slower during the run (a disk's flush time drifts by a third within a minute here)
 * weighs on every load alike. Each load's slices add up to one result.
 */
export async function runInTurns(
  specs: readonly Omit<LoadSpec, "duration" | "amount" | "latencies">[],
  duration: number,
  rounds: number,
  /** Run after each slice of load `index`, outside the measured time (to let its work settle). */
  afterSlice?: (index: number) => Promise<void>,
): Promise<LoadResult[]> {
  const loads = specs.map((spec, index) => ({ index, spec, latencies: new LatencyRecorder(), slices: [] as LoadResult[] }));
  for (let round = 0; round < rounds; round++) {
    for (const { index, spec, latencies, slices } of round % 2 === 0 ? loads : [...loads].reverse()) {
      slices.push(await runLoad({ ...spec, duration: duration / rounds, latencies }));
      await afterSlice?.(index);
    }
  }
  return loads.map(({ slices, latencies }) => combine(slices, latencies.summary()));
}

/** One result of a load's slices: counts added, rates over the slices' seconds, CPU weighted by time. */
function combine(parts: readonly LoadResult[], latency: LatencySummary): LoadResult {
  const sum = (of: (part: LoadResult) => number) => parts.reduce((total, part) => total + of(part), 0);
  const seconds = sum((part) => part.seconds);
  const responses = sum((part) => part.responses);
  const ok = sum((part) => part.ok);
  const statusCounts: Record<string, number> = {};
  for (const part of parts) {
    for (const [status, count] of Object.entries(part.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  }
  return {
    seconds,
    responses,
    rps: seconds > 0 ? ok / seconds : 0,
    responsesPerSecond: seconds > 0 ? responses / seconds : 0,
    latency,
    ok,
    non2xx: sum((part) => part.non2xx),
    statusCounts,
    errors: sum((part) => part.errors),
    timeouts: sum((part) => part.timeouts),
    bytes: sum((part) => part.bytes),
    cpu: combineCpu(parts, responses),
  };
}

function combineCpu(parts: readonly LoadResult[], responses: number): CpuShare | null {
  const shares = parts.map((part) => part.cpu);
  if (shares.some((share) => share === null)) return null;
  const seconds = (shares as CpuShare[]).reduce((total, share) => total + share.seconds, 0);
  if (seconds <= 0) return null;
  // Back to CPU seconds per slice (over its meter's own wall time), added, then per wall second
  // and per response of the whole.
  const used = (of: (share: CpuShare) => number | null): number | null => {
    let total = 0;
    for (const share of shares as CpuShare[]) {
      const value = of(share);
      if (value === null) return null;
      total += value * share.seconds;
    }
    return total;
  };
  const service = used((share) => share.service);
  const database = used((share) => share.database);
  const loadGenerator = used((share) => share.loadGenerator) ?? 0;
  return {
    seconds,
    service: service === null ? null : service / seconds,
    database: database === null ? null : database / seconds,
    loadGenerator: loadGenerator / seconds,
    servicePerResponseUs: service === null || responses === 0 ? null : (service * 1e6) / responses,
    databasePerResponseUs: database === null || responses === 0 ? null : (database * 1e6) / responses,
  };
}

/**
 * Hands out unique write keys to requests and remembers what became of each: answered (with its
 * status) or still in flight when the load stopped (autocannon drops those connections).
 */
export class WriteLedger {
  private sent = 0;
  private readonly answered = new Map<number, number>();

  /** The next key; the caller puts it in the request's context under "key". */
  issue(context: RequestContext): number {
    const key = this.sent++;
    context.key = key;
    return key;
  }

  record(status: number, context: RequestContext): void {
    if (typeof context.key === "number") this.answered.set(context.key, status);
  }

  get issued(): number {
    return this.sent;
  }

  /** Keys answered with 2xx. */
  ok(): number[] {
    return [...this.answered].filter(([, status]) => status >= 200 && status < 300).map(([key]) => key);
  }

  failed(): number[] {
    return [...this.answered].filter(([, status]) => status < 200 || status >= 300).map(([key]) => key);
  }

  /** Keys sent but never answered. */
  unanswered(): number[] {
    const keys: number[] = [];
    for (let key = 0; key < this.sent; key++) if (!this.answered.has(key)) keys.push(key);
    return keys;
  }
}

export interface LedgerCheck {
  readonly ok: boolean;
  /** 2xx answers. */
  readonly written: number;
  /** Requests cut off by the end of the run, and how many of them were stored anyway. */
  readonly inFlight: number;
  readonly inFlightStored: number;
  readonly stored: number;
  readonly detail: string;
}

/** Compares the ledger with the set of keys found in the store. */
export function checkLedger(ledger: WriteLedger, storedKeys: ReadonlySet<number>, storedTotal: number): LedgerCheck {
  const ok = ledger.ok();
  const missing = ok.filter((key) => !storedKeys.has(key));
  const failedButStored = ledger.failed().filter((key) => storedKeys.has(key));
  const inFlight = ledger.unanswered();
  const inFlightStored = inFlight.filter((key) => storedKeys.has(key)).length;
  const foreign = storedTotal - ok.length - inFlightStored - failedButStored.length + missing.length;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${missing.length} answered 2xx but not stored (first key ${missing[0]})`);
  if (failedButStored.length > 0) problems.push(`${failedButStored.length} answered non-2xx but stored`);
  if (foreign !== 0) problems.push(`${foreign} stored rows match no request sent`);
  const expected = ok.length + inFlightStored;
  if (storedTotal !== expected) problems.push(`stored ${storedTotal} ≠ ${ok.length} written + ${inFlightStored} in flight`);
  return {
    ok: problems.length === 0,
    written: ok.length,
    inFlight: inFlight.length,
    inFlightStored,
    stored: storedTotal,
    detail: problems.join("; ") || "every 2xx write is stored, nothing else",
  };
}
