import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import type { Store } from "../../src/application/ports/store.js";
import { createTestDatabase, mysqlUrl } from "./mysql-database.js";

/**
 * Which store the HTTP and property suites run on: SQLite in memory unless the test project
 * sets TEST_STORE=mysql (see vitest.config.ts), which gives every opened store a database of
 * its own on the MySQL server of the run.
 */
export type TestStoreKind = "sqlite" | "mysql";

export const testStoreKind: TestStoreKind = process.env.TEST_STORE === "mysql" ? "mysql" : "sqlite";

/** A migrated store of the kind this run tests; closing it also drops its MySQL database. */
export async function openTestStore(purpose = "http"): Promise<Store> {
  if (testStoreKind === "sqlite") {
    const store = SqliteStore.open(":memory:");
    await store.migrate();
    return store;
  }
  if (mysqlUrl === null) {
    throw new Error("TEST_STORE=mysql, but this run has no MySQL server (see the SKIPPED line above)");
  }
  const database = await createTestDatabase(purpose);
  const store = await database.openStore();
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await database.drop();
  };
  return store;
}
