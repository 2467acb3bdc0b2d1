import type { RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MySqlStore } from "../../src/adapters/persistence/mysql/mysql-store.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { at, uniqueName } from "../support/names.js";
import { NO_BOOKING } from "../support/fakes.js";

/** Text that breaks string-built SQL, and Unicode that breaks a 3-byte "utf8" or a normalising layer. */
const NASTY = [
  "Robert'); DROP TABLE users;--",
  "x' OR '1'='1",
  `"double" 'single' \`backtick\``,
  "back\\slash \\' \\\" \\0 \\n \\%",
  "100% _under_ %_% LIKE",
  "⏱️ Zeit 🕐 時間 😀",
  "e\u0301 combining, n\u0303 vs ñ",
  "\u{1F9D1}\u200D\u{1F4BB} zero\u200Bwidth \u202Eevil",
  "line1\nline2\ttab\r\n",
  "nul\u0000byte",
];

describe.skipIf(!mysqlAvailable)("MySQL keeps every string byte-exact", () => {
  let database: TestDatabase;
  let store: MySqlStore;
  beforeAll(async () => {
    database = await createTestDatabase("strings");
    store = await database.openStore({ poolSize: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it.each(NASTY.map((text, i) => [i, text]))("#%i through usernames, password hashes, category names and notes", async (_, text) => {
    const suffix = uniqueName("");
    const username = `${text}${suffix}`;
    const passwordHash = `$hash$${text}`;
    const user = await store.users.add({ username, passwordHash, createdAt: at("2026-01-01 00:00") });
    expect(await store.users.findById(user.id)).toEqual(user);
    expect((await store.users.findByUsername(username))?.username).toBe(username);
    expect((await store.users.findByUsername(username))?.passwordHash).toBe(passwordHash);

    const category = await store.categories.add(`${text}${suffix}`);
    expect((await store.categories.findById(category.id))?.name).toBe(`${text}${suffix}`);
    expect((await store.categories.findByName(`${text}${suffix}`))?.id).toBe(category.id);

    const entry = await store.entries.add({ userId: user.id, categoryId: category.id, start: at("2026-02-10 09:00"), end: at("2026-02-10 10:00"), note: text });
    expect(entry.note).toBe(text);
    expect(entry.categoryName).toBe(`${text}${suffix}`);
    const [listed] = await store.entries.listByUser(user.id, { from: null, to: null, categoryId: null, after: null, limit: 10 });
    expect(listed?.note).toBe(text);
    const updated = await store.entries.update(entry.id, { categoryId: category.id, start: entry.start, end: entry.end, note: `${text}${text}`, ...NO_BOOKING });
    expect(updated?.note).toBe(`${text}${text}`);

    // Stored as the same code points, not normalised or re-encoded on the way.
    const connection = await database.connect();
    try {
      const [rows] = await connection.execute<RowDataPacket[]>("SELECT HEX(note) AS note FROM time_entries WHERE id = ?", [entry.id]);
      expect(rows[0]?.note).toBe(Buffer.from(`${text}${text}`, "utf8").toString("hex").toUpperCase());
    } finally {
      await connection.end();
    }
  });

  it("treats % and _ as characters, never as wildcards", async () => {
    const suffix = uniqueName("");
    await store.categories.add(`a_c%${suffix}`);
    expect(await store.categories.findByName(`abcX${suffix}`)).toBeNull();
    expect(await store.categories.findByName(`a_c%${suffix}`)).not.toBeNull();
    expect(await store.users.findByUsername("%")).toBeNull();
    expect(await store.users.findByUsername("_")).toBeNull();
  });

  it("keeps the tables after a name that would have dropped them", async () => {
    const connection = await database.connect();
    try {
      const [rows] = await connection.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('users', 'category', 'time_entries')",
      );
      expect(Number(rows[0]?.n)).toBe(3);
    } finally {
      await connection.end();
    }
  });
});
