import mysql from "mysql2/promise";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Root URL of the MySQL-compatible server the MySQL suites use, or null when there is none. */
    mysqlUrl: string | null;
  }
}

/** Test databases are named tt_test_<base-36 creation time>_…; ones left by a killed run are dropped. */
const TEST_DATABASE_PREFIX = "tt_test_";
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(an unparsable URL)";
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && code !== "" ? code : error.message;
  }
  return String(error);
}

/** A Docker engine, if one answers, runs mysql:8.0 for the whole test run. */
async function startContainer(): Promise<{ url: string; stop: () => Promise<void> } | string> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
  } catch {
    return "no Docker engine";
  }
  try {
    const { MySqlContainer } = await import("@testcontainers/mysql");
    const password = "test-root";
    const container = await new MySqlContainer("mysql:8.0").withRootPassword(password).start();
    return {
      url: `mysql://root:${password}@${container.getHost()}:${container.getPort()}`,
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    return `a Docker engine answered but mysql:8.0 did not start (${reasonOf(error)})`;
  }
}

/** Checks that the server answers, and drops test databases a killed run left behind. */
async function checkServer(url: string): Promise<string | null> {
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: url, connectTimeout: 3_000 });
  } catch (error) {
    return reasonOf(error);
  }
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>("SHOW DATABASES");
    for (const row of rows) {
      const name = String(Object.values(row)[0]);
      if (!name.startsWith(TEST_DATABASE_PREFIX)) continue;
      const created = Number.parseInt(name.slice(TEST_DATABASE_PREFIX.length).split("_")[0] ?? "", 36);
      if (Number.isFinite(created) && Date.now() - created > STALE_AFTER_MS) {
        await connection.query(`DROP DATABASE IF EXISTS ${connection.escapeId(name)}`);
      }
    }
    return null;
  } catch (error) {
    return reasonOf(error);
  } finally {
    await connection.end();
  }
}

/**
 * Finds the server for the MySQL suites once per run: a Testcontainers mysql:8.0 when a Docker
 * engine answers, otherwise the server named by TEST_MYSQL_URL. With neither, the suites are
 * skipped with one line saying so, or, with REQUIRE_MYSQL=1, the run fails.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const container = await startContainer();
  if (typeof container !== "string") {
    project.provide("mysqlUrl", container.url);
    return container.stop;
  }

  const url = process.env.TEST_MYSQL_URL?.trim();
  let reason: string;
  if (url) {
    const problem = await checkServer(url);
    if (problem === null) {
      project.provide("mysqlUrl", url);
      return undefined;
    }
    reason = `${container}; TEST_MYSQL_URL ${redact(url)} does not answer: ${problem}`;
  } else {
    reason = `${container} and no TEST_MYSQL_URL`;
  }

  if (process.env.REQUIRE_MYSQL === "1") {
    throw new Error(`REQUIRE_MYSQL=1 but the MySQL suites cannot run (${reason})`);
  }
  console.log(`SKIPPED: MySQL suites (${reason})`);
  project.provide("mysqlUrl", null);
  return undefined;
}
