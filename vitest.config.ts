import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * The suites whose behaviour depends on the store: they run once on SQLite (in memory, the
 * default of test/support/stores.ts) and again on MySQL wherever the run has a MySQL server.
 */
const STORE_SUITES = ["test/http/**/*.test.ts", "test/properties/routes-never-5xx.property.test.ts"];

/** A MySQL server may be there: TEST_MYSQL_URL names one, or a Docker engine can start one. */
const mysqlMayRun =
  Boolean(process.env.TEST_MYSQL_URL?.trim()) ||
  process.env.REQUIRE_MYSQL === "1" ||
  Boolean(process.env.DOCKER_HOST) ||
  existsSync("/var/run/docker.sock");

export default defineConfig({
  test: {
    setupFiles: ["reflect-metadata"],
    // Finds the MySQL server for the MySQL suites once per run (or says, in one line, why they skip).
    // Builds the web app when dist/web is missing or older than web/ (the browser tests serve it).
    globalSetup: ["test/support/mysql-global-setup.ts", "test/support/web-build-global-setup.ts"],
    // vitest's own report, then one plain "N passed, N failed, N skipped" line for any tool.
    reporters: ["default", "./test/support/plain-summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"] } },
      ...(mysqlMayRun
        ? [{ extends: true as const, test: { name: "mysql", include: STORE_SUITES, env: { TEST_STORE: "mysql" } } }]
        : []),
    ],
  },
});
