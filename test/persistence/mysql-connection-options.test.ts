import { describe, expect, it } from "vitest";
import { connectionOptions, DEFAULT_TUNING, MAX_PREPARED_STATEMENTS } from "../../src/adapters/persistence/mysql/mysql-database.js";

const config = (poolSize: number) => ({ host: "127.0.0.1", port: 3306, user: "u", password: "", database: "d", poolSize });

describe("MySQL connection options", () => {
  it("keeps the pool's prepared statements under the server's default limit, whatever the pool size", () => {
    for (const poolSize of [1, 10, 32, 100, 400]) {
      const perConnection = connectionOptions(config(poolSize), DEFAULT_TUNING).maxPreparedStatements ?? 16_000;
      expect(perConnection).toBeGreaterThanOrEqual(16);
      if (poolSize * 16 <= MAX_PREPARED_STATEMENTS) expect(perConnection * poolSize).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    }
    expect(MAX_PREPARED_STATEMENTS).toBeLessThan(16_382);
  });
});
