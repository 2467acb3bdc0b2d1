import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/adapters/persistence/sqlite/sqlite-store.js";
import { Argon2PasswordHasher } from "../../src/adapters/security/argon2-password-hasher.js";
import type { Store } from "../../src/application/ports/store.js";
import { testApp } from "../support/http.js";
import { createTestDatabase, mysqlAvailable, type TestDatabase } from "../support/mysql-database.js";
import { uniqueName } from "../support/names.js";
import { tempDir } from "../support/temp-dir.js";
import { users } from "../support/users-command.js";

const PASSWORD = "a long enough password";

/** The same walk on each store: create an owner (password from stdin), list, set roles, keep one owner. */
async function walk(env: Record<string, string>, open: () => Promise<Store>): Promise<void> {
  const owner = uniqueName("boss");
  const created = await users(env, ["create", owner, "--role", "owner"], `${PASSWORD}\n`);
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toMatch(new RegExp(`^created \\d+\\t${owner}\\towner\\tactive\\t-\\n$`));

  const member = uniqueName("staff");
  expect((await users(env, ["create", member], PASSWORD)).code).toBe(0);

  const listed = await users(env, ["list"]);
  expect(listed.code, listed.stderr).toBe(0);
  const lines = listed.stdout.trim().split("\n");
  expect(lines[0]).toBe("id\tusername\trole\tactive\thourly_rate_cents");
  expect(lines.slice(1).map((row) => row.split("\t").slice(1, 3))).toEqual(
    expect.arrayContaining([
      [owner, "owner"],
      [member, "member"],
    ]),
  );
  expect(listed.stdout + listed.stderr).not.toContain(PASSWORD);

  expect((await users(env, ["set-role", member, "admin"])).stdout).toContain(`${member}\tadmin`);
  const last = await users(env, ["set-role", owner, "member"]);
  expect(last.code).toBe(1);
  expect(last.stderr).toContain("at least one active owner");
  const unknown = await users(env, ["set-role", uniqueName("nobody"), "admin"]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/not found/);
  const badRole = await users(env, ["set-role", member, "king"]);
  expect(badRole.code).toBe(1);
  expect(badRole.stderr).toMatch(/role must be one of owner, admin, member/);
  const noPassword = await users(env, ["create", uniqueName("nopw")]);
  expect(noPassword.code).toBe(1);
  expect(noPassword.stderr).toMatch(/password must be/);
  const usage = await users(env, ["create", uniqueName("x"), "--password", PASSWORD]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/^usage:/);

  // The owner made on the command line logs in to the service with that password.
  const t = await testApp({ store: await open(), empty: true, overrides: { passwordHasher: new Argon2PasswordHasher() } });
  try {
    const login = await t.request("POST", "/login", { body: { username: owner, password: PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const token = login.json<{ token: string }>().token;
    expect((await t.request("GET", "/me", { token })).json()).toMatchObject({ username: owner, role: "owner" });
  } finally {
    await t.close();
  }
}

describe("the users command", () => {
  const dir = tempDir("time-tracker-users-");
  afterAll(() => dir.remove());

  it("lists, creates and sets roles on SQLite, reading the password from standard input", async () => {
    const file = join(dir.path, "users.sqlite");
    await walk({ STORAGE: "sqlite", SQLITE_PATH: file }, async () => {
      const store = SqliteStore.open(file);
      await store.migrate();
      return store;
    });
  });

  describe.skipIf(!mysqlAvailable)("on MySQL", () => {
    let db: TestDatabase | undefined;
    afterAll(async () => {
      await db?.drop();
    });

    it("does the same on MySQL", async () => {
      db = await createTestDatabase("users_cli");
      const config = db.config();
      const env = {
        STORAGE: "mysql",
        DB_HOST: config.host,
        DB_PORT: String(config.port),
        DB_USER: config.user,
        DB_PASSWORD: config.password,
        DB_NAME: config.database,
      };
      const database = db;
      await walk(env, () => database.openStore());
    });
  });
});
