import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { inList, IN_LIST_SIZES } from "../../src/adapters/persistence/mysql/coalesced-reads.js";
import { MySqlCategoryRepository } from "../../src/adapters/persistence/mysql/mysql-category-repository.js";
import type { SqlRunner, SqlValue } from "../../src/adapters/persistence/mysql/mysql-database.js";
import { MySqlSessionRepository } from "../../src/adapters/persistence/mysql/mysql-session-repository.js";
import { storedNameKey } from "../../src/adapters/persistence/mysql/name-keys.js";
import { at } from "../support/names.js";

/** A runner that records every statement and answers from `answer`; no database involved. */
function recordingRunner(answer: (sql: string, params: readonly SqlValue[]) => RowDataPacket[]) {
  const statements: { sql: string; params: readonly SqlValue[] }[] = [];
  const runner: SqlRunner = {
    async select<T extends RowDataPacket>(sql: string, params: readonly SqlValue[] = []) {
      statements.push({ sql, params });
      return answer(sql, params) as T[];
    },
    async change(sql: string, params: readonly SqlValue[] = []) {
      statements.push({ sql, params });
      return { insertId: 7, affectedRows: 1 } as ResultSetHeader;
    },
  };
  return { runner, statements };
}

const EXPIRES = at("2026-02-11 09:00");

function sessionRow(hash: string, id: number): RowDataPacket {
  return { token_hash: hash, expires_at: EXPIRES, id, username: `user${id}`, pwd_hash: "h", created_at: at("2026-01-01 00:00"), role: "member", active: 1, hourly_rate_cents: null } as RowDataPacket;
}

describe("MySQL reads coalesced per event-loop turn", () => {
  it("answers the session lookups of one turn with one statement, each against its own clock", async () => {
    const known = new Map([
      ["a".repeat(64), 1],
      ["b".repeat(64), 2],
    ]);
    const { runner, statements } = recordingRunner((_sql, params) =>
      [...new Set(params)].flatMap((hash) => (known.has(String(hash)) ? [sessionRow(String(hash), known.get(String(hash)) ?? 0)] : [])),
    );
    const sessions = new MySqlSessionRepository(runner, { coalesce: true });
    const before = at("2026-02-11 08:00");
    const after = at("2026-02-11 10:00");
    const found = await Promise.all([
      sessions.findUser("a".repeat(64), before),
      sessions.findUser("b".repeat(64), before),
      sessions.findUser("a".repeat(64), after),
      sessions.findUser("c".repeat(64), before),
      sessions.findUser("a".repeat(64), before),
    ]);
    expect(found.map((user) => user?.id ?? null)).toEqual([1, 2, null, null, 1]);
    expect(statements).toHaveLength(1);
    // Three distinct hashes, padded to the next list size.
    expect(statements[0]?.params).toEqual(["a".repeat(64), "b".repeat(64), "c".repeat(64), "c".repeat(64)]);

    // The next turn reads again: nothing is cached.
    expect((await sessions.findUser("a".repeat(64), before))?.id).toBe(1);
    expect(statements).toHaveLength(2);
  });

  it("splits a turn with more lookups than the largest list into several statements", async () => {
    const { runner, statements } = recordingRunner(() => []);
    const sessions = new MySqlSessionRepository(runner, { coalesce: true });
    const largest = IN_LIST_SIZES.at(-1) ?? 0;
    await Promise.all(Array.from({ length: largest + 1 }, (_, i) => sessions.findUser(String(i).padEnd(64, "0"), EXPIRES)));
    expect(statements.map((s) => s.params.length)).toEqual([largest, 1]);
  });

  it("without coalescing (a transaction's repositories), reads at once", async () => {
    const { runner, statements } = recordingRunner(() => []);
    const sessions = new MySqlSessionRepository(runner);
    const pending = sessions.findUser("a".repeat(64), EXPIRES);
    expect(statements).toHaveLength(1);
    await pending;
  });

  it("answers the category lists of one turn with one statement, a list of its own for each", async () => {
    const { runner, statements } = recordingRunner(() => [{ id: 1, name: "Work", name_key: storedNameKey("Work") } as RowDataPacket]);
    const categories = new MySqlCategoryRepository(runner, { coalesce: true });
    const lists = await Promise.all([categories.list(), categories.list(), categories.list()]);
    expect(statements).toHaveLength(1);
    expect(lists).toEqual([[{ id: 1, name: "Work" }], [{ id: 1, name: "Work" }], [{ id: 1, name: "Work" }]]);
    expect(lists[0]).not.toBe(lists[1]);
    await categories.list();
    expect(statements).toHaveLength(2);
  });

  it("answers the name lookups of one turn with one statement, by stored key, and remembers nothing", async () => {
    const work = { id: 3, name: "Work", name_key: storedNameKey("Work") } as RowDataPacket;
    const { runner, statements } = recordingRunner((_sql, params) =>
      params.some((param) => Buffer.isBuffer(param) && param.equals(work.name_key as Buffer)) ? [work] : [],
    );
    const categories = new MySqlCategoryRepository(runner, { coalesce: true });
    const found = await Promise.all([
      categories.findByName("Work"),
      categories.findByName(" ＷＯＲＫ "),
      categories.findByName("Play"),
      categories.findByName("work"),
    ]);
    expect(found).toEqual([{ id: 3, name: "Work" }, { id: 3, name: "Work" }, null, { id: 3, name: "Work" }]);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toMatch(/WHERE name_key IN \(\?, \?\)$/);
    // Two distinct keys, the names' keys as the column holds them.
    expect(statements[0]?.params).toEqual([storedNameKey("work"), storedNameKey("play")]);

    // The next turn asks the database again, found or not.
    expect(await categories.findByName("Work")).toEqual({ id: 3, name: "Work" });
    expect(await categories.findByName("Play")).toBeNull();
    expect(statements).toHaveLength(3);
  });

  it("without coalescing (a transaction's repositories), looks a name up at once, every time", async () => {
    const { runner, statements } = recordingRunner(() => [{ id: 3, name: "Work" } as RowDataPacket]);
    const categories = new MySqlCategoryRepository(runner);
    const pending = categories.findByName("Work");
    expect(statements).toHaveLength(1);
    expect(await pending).toEqual({ id: 3, name: "Work" });
    expect(await categories.findByName("Work")).toEqual({ id: 3, name: "Work" });
    expect(statements.map((s) => s.sql)).toEqual([
      "SELECT id, name FROM category WHERE name_key = ?",
      "SELECT id, name FROM category WHERE name_key = ?",
    ]);
    expect(statements[0]?.params).toEqual([storedNameKey("work")]);
  });

  it("pads IN lists to a few sizes, without repeats", () => {
    expect(inList(["x"])).toEqual({ placeholders: "?", params: ["x"] });
    expect(inList(["x", "y", "z", "x"]).params).toEqual(["x", "y", "z", "z"]);
    expect(inList(["x", "y", "z", "w", "v"]).placeholders).toBe("?, ?, ?, ?, ?, ?, ?, ?");
    expect(() => inList([])).toThrow();
  });
});
