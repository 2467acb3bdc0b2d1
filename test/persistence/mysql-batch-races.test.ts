import { Readable } from "node:stream";
import { RandomTokenGenerator } from "../../src/adapters/security/random-token-generator.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvImportReader } from "../../src/adapters/csv/csv-import-reader.js";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { CreateCategory } from "../../src/application/create-category.js";
import { ImportEntries } from "../../src/application/import-entries.js";
import { bookingLookups } from "../../src/application/entry-booking.js";
import { LogEntryBatch } from "../../src/application/log-entry-batch.js";
import { RegisterUser } from "../../src/application/register-user.js";
import { FixedClock, PlainTextHasher } from "../support/fakes.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { uniqueName } from "../support/names.js";

/**
 * Batches and imports from two processes (two stores, each with its own pool) on one database:
 * each holds the user's lock for its unit of work, so of clashing items exactly one is stored.
 */
describe.skipIf(!mysqlAvailable)("MySQL: concurrent batches and imports from two processes", () => {
  let database: TestDatabase;
  let stores: [MySqlStore, MySqlStore];
  const clock = new FixedClock(new Date("2026-02-10T18:00:00Z"));

  beforeAll(async () => {
    database = await createTestDatabase("batch_races");
    stores = [await database.openStore({ poolSize: 4 }), await database.openStore({ poolSize: 4, migrate: false })];
  });
  afterAll(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await database?.drop();
  });

  const storeFor = (i: number): MySqlStore => stores[i % 2] as MySqlStore;

  async function setUp() {
    const user = await new RegisterUser(stores[0].transactor, new PlainTextHasher(), new RandomTokenGenerator(), clock, "open").execute({
      username: uniqueName("batcher"),
      password: "password-123",
    });
    const category = uniqueName("Batch");
    await new CreateCategory(stores[0].categories).execute({ name: category });
    return { user, category };
  }
  const count = async (userId: number) =>
    (await stores[1].entries.listByUser(userId, { from: null, to: null, categoryId: null, after: null, limit: 1000 })).length;

  it("six batches at once of the same three hours, half through each store: three entries stored, the rest overlap", async () => {
    const { user, category } = await setUp();
    const items = [9, 10, 11].map((h) => ({ category, startTime: `2026-02-09 ${String(h).padStart(2, "0")}:00:00`, endTime: `2026-02-09 ${String(h).padStart(2, "0")}:45:00` }));
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => new LogEntryBatch(bookingLookups(storeFor(i), clock), storeFor(i).transactor).execute({ actor: user, items, atomic: i % 3 === 0 })),
    );
    const stored = outcomes.flatMap((outcome) => (outcome.stored ? outcome.results.filter((result) => "entry" in result) : []));
    expect(stored).toHaveLength(3);
    expect(await count(user.id)).toBe(3);
  });

  it("one file imported four times at once through both stores: its rows are stored once, the rest are duplicates", async () => {
    const { user, category } = await setUp();
    const csv =
      "category,start_date,start_time,end_date,end_time\n" +
      `${category},02/08/2026,09:00,02/08/2026,10:00\n${category},02/08/2026,11:00,02/08/2026,12:00\n`;
    const reports = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        new ImportEntries(new CsvImportReader(), storeFor(i).settings, storeFor(i).transactor).execute({
          actor: user,
          body: Readable.from([csv]),
          format: "auto",
          tz: "UTC",
          category: "Imported",
          dryRun: false,
          atomic: false,
        }),
      ),
    );
    expect(reports.reduce((sum, report) => sum + report.created, 0)).toBe(2);
    expect(reports.reduce((sum, report) => sum + report.duplicates, 0)).toBe(6);
    expect(await count(user.id)).toBe(2);
  });
});
