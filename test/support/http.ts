import type { LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { HttpApp } from "../../src/adapters/http/http-app.js";
import type { Store } from "../../src/application/ports/store.js";
import type { Overrides } from "../../src/container.js";
import { PlainTextHasher, plainHash } from "./fakes.js";
import { uniqueName } from "./names.js";
import { openTestStore } from "./stores.js";

export const PASSWORD = "correct horse battery";

export interface SignedIn {
  readonly username: string;
  readonly token: string;
  readonly userId: number;
}

export interface TestApp {
  readonly app: HttpApp;
  readonly store: Store;
  request(method: string, url: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Registers and logs in a fresh user (a member, unless the app started empty); returns its name and token. */
  signUp(username?: string): Promise<SignedIn>;
  /** Logs in the instance's owner, made with the store before any test ran (unless `empty`). */
  owner(): Promise<SignedIn>;
  /** Logs in an existing user with the test password. */
  logIn(username: string): Promise<SignedIn>;
  close(): Promise<void>;
}

/**
 * A whole app on a fresh store of the run's kind (see stores.ts) with a cheap hasher, unless told
 * otherwise. The store holds an owner from the start (made directly, so it counts towards no
 * limit), so users signed up by a test are members; `empty: true` starts with no user at all.
 */
export async function testApp(
  options: { store?: Store; overrides?: Overrides; env?: Record<string, string>; empty?: boolean } = {},
): Promise<TestApp> {
  const store = options.store ?? (await openTestStore());
  const ownerName = uniqueName("owner");
  if (!options.empty) {
    await store.users.add({ username: ownerName, passwordHash: plainHash(PASSWORD), createdAt: new Date(), role: "owner" });
  }
  // Tests register many users from one address: limits are off unless a test sets them.
  const config: Config = loadConfig({
    STORAGE: "memory",
    RATE_LIMIT_REGISTER_PER_HOUR: "0",
    RATE_LIMIT_LOGIN_FAILURES: "0",
    ...options.env,
  });
  const app = await buildApp({ store, config, overrides: { passwordHasher: new PlainTextHasher(), ...options.overrides } });
  await app.ready();
  const request: TestApp["request"] = (method, url, { body, token, headers = {} } = {}) =>
    app.inject({
      method: method as "GET",
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : typeof body === "string" ? { payload: body } : { payload: body as object }),
    });
  const logIn = async (username: string): Promise<SignedIn> => {
    const login = await request("POST", "/login", { body: { username, password: PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
    const body = login.json<{ token: string; user_id: number }>();
    return { username, token: body.token, userId: body.user_id };
  };
  return {
    app,
    store,
    request,
    async signUp(username = uniqueName("user")) {
      const registered = await request("POST", "/register", { body: { username, password: PASSWORD } });
      if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.body}`);
      return logIn(username);
    },
    owner: () => {
      if (options.empty) throw new Error("this app started empty: it has no owner");
      return logIn(ownerName);
    },
    logIn,
    close: () => app.close(),
  };
}
