import { userScope } from "../../src/application/ports/transactor.js";
import bcrypt from "bcryptjs";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { CategoryNameTaken } from "../../src/application/ports/category-repository.js";
import { MIGRATIONS, MIGRATIONS_TABLE } from "../../src/adapters/persistence/mysql/migrations/migrator.js";
import { NAME_KEY_BATCH_SIZE } from "../../src/adapters/persistence/mysql/migrations/0006-name-keys.js";
import { USER_START_COLUMNS } from "../../src/adapters/persistence/mysql/migrations/0017-report-covering-index.js";
import { storedNameKey, storedNameKeyOfRow } from "../../src/adapters/persistence/mysql/name-keys.js";
import {
  buildSeedDatabase,
  createTestDatabase,
  mysqlAvailable,
  SEED_CATEGORIES,
  SEED_ENTRIES,
  SEED_USERS,
  seedHashes,
  type SeedForm,
  type TestDatabase,
} from "../support/mysql-database.js";
import { at, uniqueName } from "../support/names.js";

const SERVICE_TABLES = ["users", "category", "time_entries", "sessions"];

async function rows(connection: Connection, sql: string, params: (string | number)[] = []): Promise<RowDataPacket[]> {
  const [result] = await connection.execute<RowDataPacket[]>(sql, params);
  return result;
}

async function recordedMigrations(connection: Connection): Promise<string[]> {
  return (await rows(connection, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`)).map((row) => String(row.name));
}

/** Every table's full definition: equal before and after means no DDL ran. */
async function schemaSnapshot(connection: Connection): Promise<string[]> {
  const snapshot: string[] = [];
  for (const table of [...SERVICE_TABLES, MIGRATIONS_TABLE]) {
    const [result] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
    snapshot.push(String(result[0]?.["Create Table"]).replace(/ AUTO_INCREMENT=\d+/, ""));
  }
  return snapshot;
}

interface ColumnShape {
  type: string;
  nullable: boolean;
  collation: string | null;
}

async function columnShapes(connection: Connection, table: string): Promise<Map<string, ColumnShape>> {
  const result = await rows(
    connection,
    "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLLATION_NAME AS collation " +
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
    [table],
  );
  return new Map(
    result.map((row) => [
      String(row.name),
      { type: String(row.type), nullable: row.nullable === "YES", collation: row.collation === null ? null : String(row.collation) },
    ]),
  );
}

async function foreignKeys(connection: Connection): Promise<string[]> {
  const result = await rows(
    connection,
    "SELECT CONCAT(k.TABLE_NAME, '.', k.COLUMN_NAME, '->', k.REFERENCED_TABLE_NAME, ' ', r.DELETE_RULE) AS fk " +
      "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r " +
      "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME " +
      "WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY fk",
  );
  return result.map((row) => String(row.fk));
}

async function uniqueIndexes(connection: Connection, table: string): Promise<string[]> {
  const result = await rows(
    connection,
    "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns FROM information_schema.STATISTICS " +
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0 GROUP BY INDEX_NAME ORDER BY columns",
    [table],
  );
  return result.map((row) => String(row.columns));
}

/** Every user's and category's stored name key is its name's, as the repositories compute it. */
async function expectNameKeys(connection: Connection): Promise<void> {
  for (const [table, column] of [["users", "username"], ["category", "name"]] as const) {
    const stored = await rows(connection, `SELECT id, ${column} AS name, name_key FROM ${table} ORDER BY id`);
    const wrong = stored.filter(
      (row) => !Buffer.isBuffer(row.name_key) || !row.name_key.equals(storedNameKeyOfRow(Number(row.id), row.name as string | null)),
    );
    expect(wrong.map((row) => `${table} ${String(row.id)}`)).toEqual([]);
  }
}

/** The shape every migrated database has, whatever it started from. */
async function expectServiceSchema(connection: Connection): Promise<void> {
  expect(await recordedMigrations(connection)).toEqual(MIGRATIONS.map((m) => m.name));
  const tables = await rows(
    connection,
    "SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
  );
  for (const table of SERVICE_TABLES) {
    const info = tables.find((row) => row.name === table);
    expect(info, table).toMatchObject({ engine: "InnoDB", collation: "utf8mb4_unicode_ci" });
  }
  const users = await columnShapes(connection, "users");
  expect(users.get("id")?.type).toMatch(/^int(\(10\))? unsigned$/);
  // Names: case- and accent-insensitive like unicode_ci, but emoji told apart (0005-name-collation).
  expect(users.get("username")?.collation).toBe("utf8mb4_unicode_520_ci");
  expect(users.get("created_at")).toMatchObject({ type: "datetime", nullable: false });
  expect((await columnShapes(connection, "category")).get("name")?.collation).toBe("utf8mb4_unicode_520_ci");
  // What names are compared by (0006-name-keys): the domain's key, as bytes, unique; the names
  // themselves carry no unique index any more.
  for (const table of ["users", "category"]) {
    expect((await columnShapes(connection, table)).get("name_key"), table).toEqual({ type: "varbinary(3072)", nullable: false, collation: null });
    expect(await uniqueIndexes(connection, table), table).toEqual(["id", "name_key"]);
  }
  await expectNameKeys(connection);
  const entries = await columnShapes(connection, "time_entries");
  expect(entries.get("user_id")).toMatchObject({ nullable: false });
  expect(entries.get("user_id")?.type).toMatch(/^int(\(10\))? unsigned$/);
  expect(entries.get("start_time")).toMatchObject({ type: "datetime", nullable: false });
  expect(entries.get("end_time")).toMatchObject({ type: "datetime", nullable: true });
  expect(entries.get("note")).toMatchObject({ type: "varchar(500)", nullable: true, collation: "utf8mb4_unicode_ci" });
  expect(entries.get("created_at")).toMatchObject({ nullable: false });
  expect(entries.get("updated_at")).toMatchObject({ nullable: false });
  const sessions = await columnShapes(connection, "sessions");
  expect(sessions.get("token_hash")?.type).toBe("char(64)");
  const collations = await rows(
    connection,
    "SELECT DISTINCT COLLATION_NAME AS collation FROM information_schema.COLUMNS " +
      "WHERE TABLE_SCHEMA = DATABASE() AND COLLATION_NAME IS NOT NULL AND TABLE_NAME <> ?",
    [MIGRATIONS_TABLE],
  );
  // Text columns compare as the seed's did; only the token hash is compared byte for byte.
  expect(collations.map((row) => row.collation).sort()).toEqual(["utf8mb4_bin", "utf8mb4_unicode_520_ci", "utf8mb4_unicode_ci"]);
  const indexes = await rows(
    connection,
    "SELECT INDEX_NAME AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns FROM information_schema.STATISTICS " +
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'time_entries' GROUP BY INDEX_NAME",
  );
  expect(indexes).toContainEqual(expect.objectContaining({ name: "idx_time_entries_user_start", columns: USER_START_COLUMNS.join(",") }));
  const sessionIndexes = await rows(
    connection,
    "SELECT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sessions' AND COLUMN_NAME = 'expires_at'",
  );
  expect(sessionIndexes.length).toBeGreaterThan(0);
}

describe.skipIf(!mysqlAvailable)("MySQL migrations", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function database(purpose: string, options: { charset?: string; collation?: string } = {}): Promise<TestDatabase> {
    const created = await createTestDatabase(purpose, options);
    cleanup.push(() => created.drop());
    return created;
  }

  async function store(db: TestDatabase, options: { migrate?: boolean } = {}): Promise<MySqlStore> {
    const opened = await db.openStore({ poolSize: 2, ...options });
    cleanup.push(() => opened.close());
    return opened;
  }

  async function connect(db: TestDatabase): Promise<Connection> {
    const connection = await db.connect();
    cleanup.push(() => connection.end());
    return connection;
  }

  describe("on a fresh database", () => {
    it("creates the seed's tables and the service's additions, with utf8mb4_unicode_ci throughout", async () => {
      const db = await database("fresh");
      await store(db);
      const connection = await connect(db);
      await expectServiceSchema(connection);
      expect(await foreignKeys(connection)).toEqual([
        "api_tokens.user_id->users CASCADE",
        "daily_targets.category_id->category CASCADE",
        "daily_targets.user_id->users CASCADE",
        "entry_changes.user_id->users CASCADE",
        "entry_tags.entry_id->time_entries CASCADE",
        "entry_tags.tag_id->tags RESTRICT",
        "identity_links.user_id->users CASCADE",
        "invitations.created_by->users SET NULL",
        "invitations.used_by->users SET NULL",
        "projects.client_id->clients RESTRICT",
        "sessions.user_id->users CASCADE",
        "team_members.team_id->teams CASCADE",
        "team_members.user_id->users CASCADE",
        "time_entries.category_id->category RESTRICT",
        "time_entries.project_id->projects RESTRICT",
        "time_entries.user_id->users CASCADE",
        "totp_recovery_codes.user_id->users CASCADE",
        "user_totp.user_id->users CASCADE",
        "webhooks.user_id->users CASCADE",
        "webhook_deliveries.webhook_id->webhooks CASCADE",
      ]);
      const checks = await rows(
        connection,
        "SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
      );
      expect(checks.map((row) => String(row.clause).replace(/`/g, ""))).toContain("end_time > start_time");
    });

    it("keeps the seed's CHECK (end_time > start_time) and still stores a running timer", async () => {
      const db = await database("check");
      const s = await store(db);
      const user = await s.users.add({ username: "timer", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const category = await s.categories.add("Work");
      const running = await s.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: null, note: null });
      expect((await s.entries.findById(running.id))?.end).toBeNull();
      const connection = await connect(db);
      await expect(
        connection.execute("UPDATE time_entries SET end_time = start_time WHERE id = ?", [running.id]),
      ).rejects.toThrow(/CONSTRAINT|check/i);
    });

    it("does nothing when run again, from this store or another", async () => {
      const db = await database("rerun");
      const first = await store(db);
      const connection = await connect(db);
      const before = await schemaSnapshot(connection);
      const applied = await rows(connection, `SELECT name, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY name`);
      await first.migrate();
      await (await store(db)).migrate();
      expect(await schemaSnapshot(connection)).toEqual(before);
      expect(await rows(connection, `SELECT name, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY name`)).toEqual(applied);
    });

    it("lets two instances migrate at once: one migrates, the other waits and finds nothing to do", async () => {
      const db = await database("concurrent");
      const a = await store(db, { migrate: false });
      const b = await store(db, { migrate: false });
      await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
      const connection = await connect(db);
      await expectServiceSchema(connection);
      const user = await b.users.add({ username: "after-race", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      expect((await a.users.findByUsername("AFTER-RACE"))?.id).toBe(user.id);
    });

    it("finishes a migration that was interrupted half-way, step by step", async () => {
      const db = await database("resume");
      await store(db);
      const connection = await connect(db);
      // As if 0003 had stopped after some of its statements: some columns and an index missing.
      await connection.query("ALTER TABLE time_entries DROP INDEX idx_time_entries_user_end, DROP COLUMN updated_at");
      await connection.query("ALTER TABLE users MODIFY created_at DATETIME NULL");
      await connection.execute(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name >= ?`, ["0003"]);
      await (await store(db)).migrate();
      await expectServiceSchema(connection);
    });

    it("gives sessions made before 0014-accounts each a public id of their own, also when 0014 is run again", async () => {
      const db = await database("session_ids");
      const first = await store(db);
      const ann = await first.users.add({ username: "Ann", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const connection = await connect(db);
      // As before 0014: no public_id column; two sessions.
      await connection.query("ALTER TABLE sessions DROP INDEX uq_sessions_public_id, DROP COLUMN public_id");
      await connection.execute(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name = ?`, ["0014-accounts"]);
      for (const hash of ["a", "b"]) {
        await connection.execute(
          "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, '2026-01-01 00:00:00', '2100-01-01 00:00:00')",
          [hash.repeat(64), ann.id],
        );
      }
      const upgraded = await store(db);
      await upgraded.migrate();
      const ids = (await upgraded.sessions.listByUser(ann.id, at("2026-02-01 00:00"))).map((session) => session.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    });

    it("completes 0006-name-keys from wherever an interrupted run left it", async () => {
      const db = await database("resume_keys");
      const first = await store(db);
      const ann = await first.users.add({ username: "Ann", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const bob = await first.users.add({ username: "Bob", passwordHash: "x", createdAt: at("2026-01-01 00:00") });
      const work = await first.categories.add("Work");
      await first.categories.add("Café");
      const connection = await connect(db);
      // users: the column added but not yet NOT NULL, one key missing, one stale, the old index
      // (as the seed's server named it) still there and the new one not; category: not even the column.
      await connection.query("ALTER TABLE users DROP INDEX uq_users_name_key, MODIFY name_key VARBINARY(3072) NULL, ADD UNIQUE KEY username (username)");
      await connection.execute("UPDATE users SET name_key = NULL WHERE id = ?", [ann.id]);
      await connection.execute("UPDATE users SET name_key = ? WHERE id = ?", [storedNameKey("someone else"), bob.id]);
      await connection.query("ALTER TABLE category DROP INDEX uq_category_name_key, DROP COLUMN name_key, ADD UNIQUE KEY uq_category_name (name)");
      await connection.execute(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name = ?`, ["0006-name-keys"]);

      const second = await store(db);
      await expectServiceSchema(connection);
      expect((await second.users.findByUsername("ANN"))?.id).toBe(ann.id);
      expect((await second.users.findByUsername("bob"))?.id).toBe(bob.id);
      expect((await second.categories.findByName("work"))?.id).toBe(work.id);
      await expect(second.categories.add("CAFE")).rejects.toBeInstanceOf(CategoryNameTaken);
    });
  });

  describe("on a database the seed's service left", () => {
    let hashes: Awaited<ReturnType<typeof seedHashes>>;
    beforeAll(async () => {
      hashes = await seedHashes();
    }, 60_000);

    const variants: Array<{ label: string; form: SeedForm; foreignKeys?: boolean; charset?: string; collation?: string }> = [
      { label: "made by its schema.sql", form: "schema.sql" },
      { label: "made from its README on a latin1 server", form: "readme", charset: "latin1", collation: "latin1_swedish_ci" },
      { label: "made from its README without foreign keys, utf8mb4_general_ci", form: "readme", foreignKeys: false, charset: "utf8mb4", collation: "utf8mb4_general_ci" },
    ];

    for (const variant of variants) {
      it(`upgrades one ${variant.label} in place, every row kept and readable`, async () => {
        const db = await database(`seed_${variant.form}`, { charset: variant.charset, collation: variant.collation });
        const connection = await connect(db);
        await buildSeedDatabase(connection, { form: variant.form, foreignKeys: variant.foreignKeys, hashes });
        const before = {
          users: await rows(connection, "SELECT id, username, pwd_hash, salt FROM users ORDER BY id"),
          categories: await rows(connection, "SELECT id, name FROM category ORDER BY id"),
          entries: await rows(connection, "SELECT id, user_id, category_id, start_time, end_time FROM time_entries ORDER BY id"),
        };

        const s = await store(db);
        await expectServiceSchema(connection);

        // Not a row lost or changed.
        expect(await rows(connection, "SELECT id, username, pwd_hash, salt FROM users ORDER BY id")).toEqual(before.users);
        expect(await rows(connection, "SELECT id, name FROM category ORDER BY id")).toEqual(before.categories);
        expect(await rows(connection, "SELECT id, user_id, category_id, start_time, end_time FROM time_entries ORDER BY id")).toEqual(before.entries);

        // Readable through the repositories, names compared as the service compares them.
        for (const seedUser of SEED_USERS) {
          const user = await s.users.findByUsername(seedUser.username.toUpperCase());
          expect(user?.username).toBe(seedUser.username);
          expect(user?.passwordHash).toBe(hashes.get(seedUser.username)?.hash);
          expect(user?.passwordHash).toMatch(/^\$2b\$12\$/);
          expect(await bcrypt.compare(seedUser.password, user?.passwordHash ?? "")).toBe(true);
          // The seed's users become active members with no rate; the operator names an owner.
          expect(user).toMatchObject({ role: "member", active: true, hourlyRateCents: null });
        }
        expect(await s.users.countActiveOwners()).toBe(0);
        expect(await s.invitations.listUsable(new Date())).toEqual([]);
        expect((await s.users.findByUsername("jurgen"))?.username).toBe("Jürgen");
        expect((await s.categories.findByName("CAFE"))?.name).toBe("Café");
        expect((await s.categories.list()).map((c) => c.name)).toEqual([...SEED_CATEGORIES].sort((a, b) => a.localeCompare(b)));

        const john = await s.users.findByUsername("john");
        const listed = await s.entries.listByUser(john?.id ?? 0, { from: null, to: null, categoryId: null, after: null, limit: 100 });
        expect(listed.map((e) => [e.categoryName, e.start.toISOString(), e.end?.toISOString(), e.note])).toEqual(
          SEED_ENTRIES.filter((e) => e.username === "john").map((e) => [e.category, at(e.start).toISOString(), at(e.end).toISOString(), null]),
        );
        // A seed user's creation time is taken as the start of their first entry.
        expect(john?.createdAt.toISOString()).toBe(at("2026-02-10 09:00").toISOString());
        const jurgen = await s.users.findByUsername("Jürgen");
        const overlapping = await s.entries.listByUser(jurgen?.id ?? 0, { from: null, to: null, categoryId: null, after: null, limit: 100 });
        expect(overlapping).toHaveLength(2);

        // And the service's own features work on it: new users (empty salt), timers, notes, sessions.
        const added = await s.users.add({ username: uniqueName("new"), passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", createdAt: at("2026-03-01 00:00") });
        const [salt] = await rows(connection, "SELECT salt FROM users WHERE id = ?", [added.id]);
        expect(Buffer.from(salt?.salt as Buffer).length).toBe(0);
        const work = await s.categories.findByName("work");
        const timer = await s.transactor.run(userScope(added.id), (repos) =>
          repos.entries.add({ userId: added.id, categoryId: work?.id ?? 0, start: at("2026-03-01 09:00"), end: null, note: "läuft" }),
        );
        expect(await s.entries.findRunning(added.id)).toEqual(timer);
        await s.sessions.add({ tokenHash: "a".repeat(64), userId: john?.id ?? 0, createdAt: at("2026-03-01 00:00"), expiresAt: at("2100-01-01 00:00") });
        expect((await s.sessions.findUser("a".repeat(64), at("2026-03-02 00:00")))?.username).toBe("john");
        await expect(s.users.add({ username: "JOHN", passwordHash: "x", createdAt: at("2026-03-01 00:00") })).rejects.toMatchObject({ code: "USERNAME_TAKEN" });
      });
    }

    it("keeps entries whose category is gone (no foreign keys), leaving that key out", async () => {
      const db = await database("seed_orphan");
      const connection = await connect(db);
      await buildSeedDatabase(connection, { form: "readme", foreignKeys: false, hashes });
      await connection.execute("INSERT INTO time_entries (user_id, category_id, start_time, end_time) VALUES (1, 999, ?, ?)", [
        "2026-02-12 09:00:00",
        "2026-02-12 10:00:00",
      ]);
      const s = await store(db);
      expect(await foreignKeys(connection)).toEqual([
        "api_tokens.user_id->users CASCADE",
        "daily_targets.category_id->category CASCADE",
        "daily_targets.user_id->users CASCADE",
        "entry_changes.user_id->users CASCADE",
        "entry_tags.entry_id->time_entries CASCADE",
        "entry_tags.tag_id->tags RESTRICT",
        "identity_links.user_id->users CASCADE",
        "invitations.created_by->users SET NULL",
        "invitations.used_by->users SET NULL",
        "projects.client_id->clients RESTRICT",
        "sessions.user_id->users CASCADE",
        "team_members.team_id->teams CASCADE",
        "team_members.user_id->users CASCADE",
        "time_entries.project_id->projects RESTRICT",
        "time_entries.user_id->users CASCADE",
        "totp_recovery_codes.user_id->users CASCADE",
        "user_totp.user_id->users CASCADE",
        "webhooks.user_id->users CASCADE",
        "webhook_deliveries.webhook_id->webhooks CASCADE",
      ]);
      const listed = await s.entries.listByUser(1, { from: at("2026-02-12 00:00"), to: null, categoryId: null, after: null, limit: 10 });
      expect(listed.map((e) => [e.categoryId, e.categoryName])).toEqual([[999, ""]]);
    });

    it("stops, changing nothing, when two names become one under utf8mb4_unicode_ci, and goes on once renamed", async () => {
      const db = await database("seed_collision", { charset: "latin1", collation: "latin1_swedish_ci" });
      const connection = await connect(db);
      const users = [...SEED_USERS, { username: "Jurgen", password: "another one" }];
      const collisionHashes = new Map(hashes);
      collisionHashes.set("Jurgen", { hash: hashes.get("john")?.hash ?? "", salt: hashes.get("john")?.salt ?? "" });
      // latin1_swedish_ci keeps "ü" apart from "u"; utf8mb4_unicode_ci does not.
      await buildSeedDatabase(connection, { form: "readme", hashes: collisionHashes, users });
      const s = await store(db, { migrate: false });
      await expect(s.migrate()).rejects.toThrow(/Jurgen|Jürgen/);
      expect((await columnShapes(connection, "users")).get("username")?.collation).toBe("latin1_swedish_ci");
      expect((await columnShapes(connection, "users")).get("id")?.type).toMatch(/^int(\(11\))?$/);
      expect(await rows(connection, "SELECT COUNT(*) AS n FROM users")).toEqual([{ n: 4 }]);

      const [last] = await rows(connection, "SELECT MAX(id) AS id FROM users");
      await connection.execute("UPDATE users SET username = ? WHERE id = ?", ["Jurgen2", Number(last?.id)]);
      await s.migrate();
      await expectServiceSchema(connection);
      expect((await s.users.findByUsername("jürgen"))?.username).toBe("Jürgen");
      expect((await s.users.findByUsername("jurgen2"))?.username).toBe("Jurgen2");
    });

    it(`stores the name key of every row of a large seed database, ${NAME_KEY_BATCH_SIZE} rows at a time`, async () => {
      const db = await database("seed_many");
      const connection = await connect(db);
      await buildSeedDatabase(connection, { form: "schema.sql", hashes });
      const count = 2 * NAME_KEY_BATCH_SIZE + 345;
      // Names whose keys differ from their text in every way the rule has: case, accents,
      // compatibility forms, a key that ends in a space.
      const categoryNames = Array.from({ length: count }, (_, i) => [`Kategorie ${i}`, `ＷＯＲＫ ${i}`, `Ørsted Café ${i}`, `${i} x´`][i % 4] ?? "");
      const usernames = Array.from({ length: count }, (_, i) => `Benutzer.${i}.Jürgen`);
      for (let start = 0; start < count; start += 500) {
        const names = categoryNames.slice(start, start + 500);
        await connection.execute(`INSERT INTO category (name) VALUES ${names.map(() => "(?)").join(", ")}`, names);
        const users = usernames.slice(start, start + 500);
        await connection.execute(
          `INSERT INTO users (username, pwd_hash, salt) VALUES ${users.map(() => "(?, 'x', 'y')").join(", ")}`,
          users,
        );
      }

      const s = await store(db);
      await expectServiceSchema(connection);
      expect(await rows(connection, "SELECT COUNT(*) AS n FROM category")).toEqual([{ n: count + SEED_CATEGORIES.length }]);
      // The last batch of each kind (count - 1 is 2344, so `i % 4` is 0 there).
      expect((await s.categories.findByName(`kategorie ${count - 1}`))?.name).toBe(`Kategorie ${count - 1}`);
      expect((await s.categories.findByName(`work ${count - 4}`))?.name).toBe(`ＷＯＲＫ ${count - 4}`);
      expect((await s.categories.findByName(`ORSTED CAFE ${count - 3}`))).toBeNull();
      expect((await s.categories.findByName(`ØRSTED CAFE ${count - 3}`))?.name).toBe(`Ørsted Café ${count - 3}`);
      expect((await s.categories.findByName(`${count - 2} X´`))?.name).toBe(`${count - 2} x´`);
      expect(await s.categories.findByName(`${count - 2} x`)).toBeNull();
      expect((await s.users.findByUsername(`BENUTZER.${NAME_KEY_BATCH_SIZE}.JURGEN`))?.username).toBe(usernames[NAME_KEY_BATCH_SIZE]);
    }, 60_000);

    it("stops, changing nothing, when two names share a key though the old collation kept them apart, and goes on once renamed", async () => {
      const db = await database("seed_key_collision");
      const connection = await connect(db);
      // utf8mb4_unicode_520_ci (and unicode_ci before it) tells the dotless ı from i; the name
      // rule folds both to "i", as it folds İ and I.
      const users = [...SEED_USERS, { username: "Kılıç", password: "first one" }, { username: "KILIC", password: "second one" }];
      const collisionHashes = new Map(hashes);
      for (const user of users.slice(SEED_USERS.length)) collisionHashes.set(user.username, hashes.get("john") ?? { hash: "", salt: "" });
      await buildSeedDatabase(connection, {
        form: "schema.sql",
        hashes: collisionHashes,
        users,
        categories: [...SEED_CATEGORIES, "Işık", "ISIK"],
        entries: [],
      });
      const idOf = async (table: string, column: string, name: string) =>
        Number((await rows(connection, `SELECT id FROM ${table} WHERE ${column} = ? COLLATE utf8mb4_bin`, [name]))[0]?.id);
      const [kilic1, kilic2] = [await idOf("users", "username", "Kılıç"), await idOf("users", "username", "KILIC")];
      const [isik1, isik2] = [await idOf("category", "name", "Işık"), await idOf("category", "name", "ISIK")];
      const before = {
        users: await rows(connection, "SELECT id, username, pwd_hash, salt FROM users ORDER BY id"),
        categories: await rows(connection, "SELECT id, name FROM category ORDER BY id"),
      };

      const s = await store(db, { migrate: false });
      const refusal = `users with ids ${kilic1}, ${kilic2} ('Kılıç', 'KILIC'); categories with ids ${isik1}, ${isik2} ('Işık', 'ISIK')`;
      await expect(s.migrate()).rejects.toThrow(refusal);
      // The migrations before it ran; this one changed nothing, and does not on a second attempt.
      expect(await recordedMigrations(connection)).toEqual(MIGRATIONS.map((m) => m.name).filter((name) => name < "0006-name-keys"));
      const refused = await schemaSnapshot(connection);
      await expect(s.migrate()).rejects.toThrow(/nothing was changed/);
      expect(await schemaSnapshot(connection)).toEqual(refused);
      for (const table of ["users", "category"]) expect((await columnShapes(connection, table)).has("name_key"), table).toBe(false);
      expect(await uniqueIndexes(connection, "users")).toEqual(["id", "username"]);
      expect(await uniqueIndexes(connection, "category")).toEqual(["id", "name"]);
      expect(await rows(connection, "SELECT id, username, pwd_hash, salt FROM users ORDER BY id")).toEqual(before.users);
      expect(await rows(connection, "SELECT id, name FROM category ORDER BY id")).toEqual(before.categories);

      await connection.execute("UPDATE users SET username = ? WHERE id = ?", ["KILIC-2", kilic2]);
      await connection.execute("UPDATE category SET name = ? WHERE id = ?", ["ISIK 2", isik2]);
      await s.migrate();
      await expectServiceSchema(connection);
      expect((await s.users.findByUsername("kilic"))?.id).toBe(kilic1);
      expect((await s.users.findByUsername("kilic-2"))?.id).toBe(kilic2);
      expect((await s.categories.findByName("ışık"))?.id).toBe(isik1);
      expect((await s.categories.findByName("İSİK"))?.id).toBe(isik1);
      await expect(s.users.add({ username: "kilic", passwordHash: "x", createdAt: at("2026-03-01 00:00") })).rejects.toMatchObject({ code: "USERNAME_TAKEN" });
    }, 60_000);

    it("turns on DYNAMIC rows for tables in an older row format, whose indexes hold 767 bytes", async () => {
      const db = await database("seed_compact");
      const connection = await connect(db);
      await buildSeedDatabase(connection, { form: "schema.sql", hashes });
      await connection.query("ALTER TABLE users ROW_FORMAT=COMPACT");
      await connection.query("ALTER TABLE category ROW_FORMAT=REDUNDANT");
      const s = await store(db);
      await expectServiceSchema(connection);
      const formats = await rows(
        connection,
        "SELECT TABLE_NAME AS name, ROW_FORMAT AS format FROM information_schema.TABLES " +
          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('users', 'category') ORDER BY name",
      );
      expect(formats).toEqual([{ name: "category", format: "Dynamic" }, { name: "users", format: "Dynamic" }]);
      expect((await s.categories.findByName("cafe"))?.name).toBe("Café");
    });

    it("keeps rows without a name (README-made tables allow NULL): each its own, found by no name", async () => {
      const db = await database("seed_null_names");
      const connection = await connect(db);
      await buildSeedDatabase(connection, { form: "readme", hashes });
      await connection.query("INSERT INTO category (name) VALUES (NULL), (NULL), ('')");
      await connection.query("INSERT INTO users (username, pwd_hash, salt) VALUES (NULL, 'x', 'y'), (NULL, 'x', 'y')");
      const s = await store(db);
      await expectServiceSchema(connection);
      expect(await s.categories.findByName("")).toMatchObject({ name: "" });
      const unnamed = (await s.categories.list()).filter((c) => c.name === "");
      expect(unnamed).toHaveLength(3);
      expect(await rows(connection, "SELECT COUNT(*) AS n FROM users WHERE username IS NULL")).toEqual([{ n: 2 }]);
      expect(await s.users.findByUsername("")).toBeNull();
    });
  });
});
