import { readdirSync, readFileSync } from "node:fs";

/**
 * Where the machine's CPU went during a load: the service, the database server and this process
 * (the load generator). Read from /proc, so Linux only; elsewhere every figure is null.
 *
 * With the service, the database and the load generator on one machine, a throughput number
 * alone cannot say which of them ran out of CPU; these figures can.
 */
export interface CpuWatch {
  readonly servicePid: number;
  /** The database server's process, when it runs on this machine. */
  readonly databasePid: number | null;
}

export interface CpuShare {
  /** Wall seconds the meter ran (the shares below are per one of them). */
  readonly seconds: number;
  /** CPU seconds per wall second (1 = one core busy), per process. */
  readonly service: number | null;
  readonly database: number | null;
  readonly loadGenerator: number;
  /** The service's and the database's CPU time per response, in microseconds. */
  readonly servicePerResponseUs: number | null;
  readonly databasePerResponseUs: number | null;
}

/** Linux's USER_HZ: /proc reports CPU times in these ticks, 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of every thread of `pid` so far, or null when /proc cannot say. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return Number.isFinite(user) && Number.isFinite(system) ? (user + system) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** The pid of a local MariaDB or MySQL server, if one runs on this machine. */
export function findDatabasePid(): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (name === "mariadbd" || name === "mysqld") return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Starts measuring now; `stop(responses)` gives the shares over the interval. */
export function startCpuMeter(watch: CpuWatch | undefined): (responses: number) => CpuShare | null {
  if (!watch) return () => null;
  const started = process.hrtime.bigint();
  const ownStart = process.cpuUsage();
  const serviceStart = processCpuSeconds(watch.servicePid);
  const databaseStart = watch.databasePid === null ? null : processCpuSeconds(watch.databasePid);
  return (responses) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (seconds <= 0) return null;
    const own = process.cpuUsage(ownStart);
    const serviceEnd = processCpuSeconds(watch.servicePid);
    const databaseEnd = watch.databasePid === null ? null : processCpuSeconds(watch.databasePid);
    const serviceUsed = serviceStart === null || serviceEnd === null ? null : serviceEnd - serviceStart;
    const databaseUsed = databaseStart === null || databaseEnd === null ? null : databaseEnd - databaseStart;
    return {
      seconds,
      service: serviceUsed === null ? null : serviceUsed / seconds,
      database: databaseUsed === null ? null : databaseUsed / seconds,
      loadGenerator: (own.user + own.system) / 1e6 / seconds,
      servicePerResponseUs: serviceUsed === null || responses === 0 ? null : (serviceUsed * 1e6) / responses,
      databasePerResponseUs: databaseUsed === null || responses === 0 ? null : (databaseUsed * 1e6) / responses,
    };
  };
}
