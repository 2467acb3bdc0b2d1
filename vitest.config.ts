import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["reflect-metadata"],
    // Finds the MySQL server for the MySQL suites once per run (or says, in one line, why they skip).
    globalSetup: ["test/support/mysql-global-setup.ts"],
    // vitest's own report, then one plain "N passed, N failed, N skipped" line for any tool.
    reporters: ["default", "./test/support/plain-summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
