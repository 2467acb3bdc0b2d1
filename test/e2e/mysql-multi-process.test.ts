import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { callService as call, startService, type ServiceProcess } from "../support/service-process.js";

const PASSWORD = "correct horse battery";


/** Runs `tasks` with at most `width` in flight. */
async function limited<T>(width: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

describe.skipIf(!mysqlAvailable)("two service processes on one MySQL database", () => {
  let db: TestDatabase;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let bases: [string, string];

  beforeAll(async () => {
    db = await createTestDatabase("multi_process");
    const c = db.config();
    const env = {
      DB_HOST: c.host, DB_PORT: String(c.port), DB_USER: c.user, DB_PASSWORD: c.password, DB_NAME: c.database,
      DB_POOL_SIZE: "8", RATE_LIMIT_REGISTER_PER_HOUR: "0", RATE_LIMIT_LOGIN_FAILURES: "0", LOG_LEVEL: "warn",
    };
    // Both start (and migrate) at once: the migration lock lets one do it and the other wait.
    // b runs two workers (WEB_CONCURRENCY=2): the rules hold across workers as across instances.
    [a, b] = await Promise.all([startService(env, 40_000), startService({ ...env, WEB_CONCURRENCY: "2" }, 40_000)]);
    bases = [a.url, b.url];
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const signUp = async (username: string, via = 0) => {
    expect((await call(bases[via % 2] as string, "POST", "/register", { username, password: PASSWORD })).status).toBe(201);
    const login = await call(bases[(via + 1) % 2] as string, "POST", "/login", { username, password: PASSWORD });
    expect(login.status).toBe(200);
    return login.json.token as string;
  };

  it("of 20 registrations of one name across both, exactly one wins", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(bases[i % 2] as string, "POST", "/register", { username: "Contested", password: PASSWORD })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it("of 20 overlapping entries and of 10 timers for one user across both, exactly one of each wins", async () => {
    const token = await signUp("overlapper");
    expect((await call(bases[0], "POST", "/category", { name: "Work" }, token)).status).toBe(201);
    const overlapping = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(bases[i % 2] as string, "POST", "/entry", { category: "Work", start_time: `2026-01-05 09:${String(i).padStart(2, "0")}:00`, end_time: "2026-01-05 10:30:00" }, token),
      ),
    );
    expect(overlapping.filter((r) => r.status === 201)).toHaveLength(1);
    expect(overlapping.filter((r) => r.status === 409)).toHaveLength(19);

    const now = Date.now();
    const timers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(bases[i % 2] as string, "POST", "/entry", { category: "Work", start_time: new Date(now - 3_600_000 + i * 1000).toISOString() }, token),
      ),
    );
    expect(timers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(timers.filter((r) => r.status === 409).every((r) => r.json.code === "TIMER_ALREADY_RUNNING" || r.json.code === "ENTRY_OVERLAP")).toBe(true);
  });

  it("1,000 writes spread over both: the stored count equals the 2xx answers", async () => {
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => signUp(`writer${i}`, i)));
    expect((await call(bases[1], "POST", "/category", { name: "Bulk" }, users[0])).status).toBe(201);
    // Half the slots collide on purpose (each slot is written twice), so some writes must be refused.
    const tasks = Array.from({ length: 1000 }, (_, i) => () => {
      const user = i % 10;
      const slot = Math.floor(i / 20);
      const start = new Date(Date.UTC(2026, 1, 1) + slot * 3_600_000);
      return call(bases[i % 2] as string, "POST", "/entry", {
        category: "Bulk", start_time: start.toISOString(), end_time: new Date(start.getTime() + 1_800_000).toISOString(),
      }, users[user]);
    });
    const results = await limited(32, tasks);
    const created = results.filter((r) => r.status === 201).length;
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(created).toBe(500);

    const connection = await db.connect();
    try {
      const [rows] = await connection.query(
        "SELECT COUNT(*) AS n FROM time_entries e JOIN category c ON c.id = e.category_id WHERE c.name = 'Bulk'",
      );
      expect(Number((rows as Array<{ n: number }>)[0]?.n)).toBe(created);
    } finally {
      await connection.end();
    }
  }, 120_000);
});
