import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { PlainTextHasher } from "../support/fakes.js";
import { PASSWORD, testApp, type TestApp } from "../support/http.js";
import { uniqueName } from "../support/names.js";
import { openTestStore } from "../support/stores.js";

const PROXY = "10.0.0.5";
const STRANGER = "192.0.2.7";

/** One registration from the peer `remoteAddress`, with an X-Forwarded-For header if given. */
async function register(t: TestApp, remoteAddress: string, forwardedFor?: string): Promise<number> {
  const res = await t.app.inject({
    method: "POST",
    url: "/register",
    remoteAddress,
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    payload: { username: uniqueName("p"), password: PASSWORD },
  });
  return res.statusCode;
}

describe("TRUST_PROXY: whose X-Forwarded-For gives the client address", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("unset: X-Forwarded-For is ignored, one peer is one client whatever it claims", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "2" } });
    expect(await register(t, PROXY, "203.0.113.1")).toBe(201);
    expect(await register(t, PROXY, "203.0.113.2")).toBe(201);
    expect(await register(t, PROXY, "203.0.113.3")).toBe(429);
    expect(await register(t, PROXY)).toBe(429);
    // Another peer has a limit of its own.
    expect(await register(t, "10.0.0.6", "203.0.113.1")).toBe(201);
  });

  it("the peer is a listed proxy: each forwarded client has its own limit", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "2", TRUST_PROXY: `127.0.0.1,${PROXY}` } });
    expect(await register(t, PROXY, "203.0.113.1")).toBe(201);
    expect(await register(t, PROXY, "203.0.113.1")).toBe(201);
    // The client behind the proxy is limited on its own...
    expect(await register(t, PROXY, "203.0.113.1")).toBe(429);
    // ...also when it sends an X-Forwarded-For of its own, which the proxy appends to: only the
    // address the proxy saw counts.
    expect(await register(t, PROXY, "198.51.100.9, 203.0.113.1")).toBe(429);
    // Other clients behind the same proxy are not.
    expect(await register(t, PROXY, "203.0.113.2")).toBe(201);
    expect(await register(t, PROXY, "203.0.113.2")).toBe(201);
    expect(await register(t, PROXY, "2001:db8::1")).toBe(201);
    // The proxy's own requests, without the header, count as the proxy's.
    expect(await register(t, PROXY)).toBe(201);
  });

  it("a CIDR lists every proxy in it, IPv4 and IPv6", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "1", TRUST_PROXY: "10.0.0.0/8,fd00::/8" } });
    expect(await register(t, "10.1.2.3", "203.0.113.1")).toBe(201);
    expect(await register(t, "10.200.0.1", "203.0.113.1")).toBe(429);
    expect(await register(t, "fd00::7", "203.0.113.2")).toBe(201);
    expect(await register(t, "10.1.2.3", "203.0.113.2")).toBe(429);
  });

  it("a peer that is not a listed proxy cannot choose its address with X-Forwarded-For", async () => {
    t = await testApp({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "2", TRUST_PROXY: PROXY } });
    expect(await register(t, STRANGER, "203.0.113.1")).toBe(201);
    expect(await register(t, STRANGER, "203.0.113.2")).toBe(201);
    expect(await register(t, STRANGER, "203.0.113.3")).toBe(429);
    expect(await register(t, STRANGER, `203.0.113.4, ${PROXY}`)).toBe(429);
    expect(await register(t, STRANGER)).toBe(429);
    // The address it pretended to be is still free for the real one behind the proxy.
    expect(await register(t, PROXY, "203.0.113.1")).toBe(201);
  });

  it("the request log names the client address: the forwarded one from a listed proxy, the peer otherwise", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });
    const app = await buildApp({
      store: await openTestStore(),
      config: loadConfig({ STORAGE: "memory", TRUST_PROXY: PROXY }),
      logger: createLogger("info", sink),
      overrides: { passwordHasher: new PlainTextHasher() },
    });
    try {
      const cases = [
        { id: "via-proxy", peer: PROXY, forwardedFor: "203.0.113.1", client: "203.0.113.1" },
        { id: "direct", peer: STRANGER, forwardedFor: "203.0.113.1", client: STRANGER },
      ];
      for (const { id, peer, forwardedFor } of cases) {
        await app.inject({
          method: "GET",
          url: "/health",
          remoteAddress: peer,
          headers: { "x-forwarded-for": forwardedFor, "x-request-id": id },
        });
      }
      const incoming = lines
        .map((line) => JSON.parse(line) as { msg: string; reqId?: string; req?: { remoteAddress?: string } })
        .filter((entry) => entry.msg === "incoming request");
      for (const { id, client } of cases) {
        expect(incoming.find((entry) => entry.reqId === id)?.req?.remoteAddress, id).toBe(client);
      }
    } finally {
      await app.close();
    }
  });
});
