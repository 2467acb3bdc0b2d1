import { Webhook as Verifier } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type SignedIn, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, makeCategory, type EntryBody } from "../support/http-expect.js";
import { webhookReceiver, type Received } from "../support/webhook-receiver.js";

interface Created {
  webhook: { id: number; url: string; events: string[]; description: string | null; all_users: boolean; active: boolean; created_at: string };
  secret: string;
}
interface DeliveryBody {
  event_id: string;
  type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

/** API.md "Webhooks": CRUD, events from entry writes, Standard Webhooks signatures, retries. */
describe("webhooks", () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let category: string;
  let owner: SignedIn;
  beforeAll(async () => {
    receiver = await webhookReceiver();
    t = await testApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_BASE_SECONDS: "0.2" } });
    owner = await t.owner();
    category = (await makeCategory(t, owner.token)).name;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const create = async (user: SignedIn, body: object) => {
    const res = await t.request("POST", "/webhooks", { token: user.token, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Created>();
  };
  const forUrl = (path: string) => receiver.url.replace("/hook", path);
  const isSigned = (secret: string, r: Received) => {
    try {
      new Verifier(secret).verify(r.body, r.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };
  const bodies = (secret: string) =>
    receiver.received
      .filter((r) => isSigned(secret, r))
      .map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: { entry?: EntryBody; webhook_id?: number } });

  it("creates a webhook with a whsec_ secret of at least 24 random bytes, shown once; lists, reads, changes, deletes it", async () => {
    const ann = await t.signUp();
    const created = await create(ann, { url: forUrl("/crud"), events: ["entry.created", "timer.started"], description: "mine" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice("whsec_".length), "base64").length).toBeGreaterThanOrEqual(24);
    expect(created.webhook).toMatchObject({ url: forUrl("/crud"), events: ["entry.created", "timer.started"], description: "mine", all_users: false, active: true });
    const id = created.webhook.id;
    const listed = await t.request("GET", "/webhooks", { token: ann.token });
    expect(listed.json()).toEqual({ webhooks: [created.webhook] });
    expect(listed.body).not.toContain(created.secret);
    expect((await t.request("GET", `/webhooks/${id}`, { token: ann.token })).json()).toEqual({ webhook: created.webhook });
    const patched = await t.request("PATCH", `/webhooks/${id}`, { token: ann.token, body: { events: ["*"], active: false, description: null } });
    expect(patched.json<Created>().webhook).toMatchObject({ events: ["*"], active: false, description: null });
    const bob = await t.signUp();
    expectProblem(await t.request("GET", `/webhooks/${id}`, { token: bob.token }), 404, "WEBHOOK_NOT_FOUND");
    expect((await t.request("DELETE", `/webhooks/${id}`, { token: ann.token })).statusCode).toBe(204);
    expectProblem(await t.request("GET", `/webhooks/${id}`, { token: ann.token }), 404, "WEBHOOK_NOT_FOUND");
    for (const bad of ["abc", "0", "-1", "1.5"]) expectProblem(await t.request("GET", `/webhooks/${bad}`, { token: ann.token }), 404, "WEBHOOK_NOT_FOUND");
  });

  it("refuses bodies that do not fit: unknown events or fields, no events, a URL that is not http(s)", async () => {
    const cat = await t.signUp();
    for (const [body, path] of [
      [{ url: receiver.url, events: ["entry.exploded"] }, "/events/0"],
      [{ url: receiver.url, events: [] }, "/events"],
      [{ url: receiver.url, events: ["*"], extra: 1 }, ""],
      [{ url: "ftp://example.com/x", events: ["*"] }, "/url"],
      [{ url: "not a url", events: ["*"] }, "/url"],
    ] as const) {
      const res = await t.request("POST", "/webhooks", { token: cat.token, body });
      expectProblem(res, 400, "VALIDATION_FAILED");
      if (path) expectValidationError(res, path);
    }
    expectProblem(
      await t.request("POST", "/webhooks", { token: cat.token, body: { url: receiver.url, events: ["*"], all_users: true } }),
      403,
      "FORBIDDEN",
    );
  });

  it("signs each delivery as Standard Webhooks says, with the events entry writes announce, and logs them", async () => {
    const dan = await t.signUp();
    const { webhook, secret } = await create(dan, { url: forUrl("/signed"), events: ["*"] });
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const timer = (await t.request("POST", "/entry", { token: dan.token, body: { category, start_time: start } })).json<{ entry: EntryBody }>().entry;
    const stopped = (await t.request("POST", `/entry/${timer.id}/stop`, { token: dan.token, body: {} })).json<{ entry: EntryBody }>().entry;
    const edited = (await t.request("PATCH", `/entry/${timer.id}`, { token: dan.token, body: { note: "x" } })).json<{ entry: EntryBody }>().entry;
    expect((await t.request("DELETE", `/entry/${timer.id}`, { token: dan.token })).statusCode).toBe(204);
    await receiver.waitFor(() => bodies(secret).length >= 6);
    const events = bodies(secret);
    expect(events.map((e) => e.type).sort()).toEqual(
      ["entry.created", "timer.started", "entry.updated", "timer.stopped", "entry.updated", "entry.deleted"].sort(),
    );
    expect(events.find((e) => e.type === "timer.started")?.data.entry).toEqual(timer);
    expect(events.find((e) => e.type === "timer.stopped")?.data.entry).toEqual(stopped);
    expect(events.find((e) => e.type === "entry.deleted")?.data.entry).toEqual(edited);
    // The signature is v1 HMAC-SHA256 over "{id}.{timestamp}.{body}" with the key after whsec_.
    const one = receiver.received.find((r) => r.body.includes('"entry.deleted"'))!;
    const { createHmac } = await import("node:crypto");
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${one.headers["webhook-id"]}.${one.headers["webhook-timestamp"]}.${one.body}`).digest("base64");
    expect(one.headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(Math.abs(Number(one.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    // A wrong secret does not verify.
    expect(() => new Verifier(`whsec_${Buffer.alloc(32).toString("base64")}`).verify(one.body, one.headers as Record<string, string>)).toThrow();

    // The receiver has answered; the worker records the outcome just after.
    let deliveries: DeliveryBody[] = [];
    for (let i = 0; i < 100; i++) {
      const log = await t.request("GET", `/webhooks/${webhook.id}/deliveries`, { token: dan.token });
      deliveries = log.json<{ deliveries: DeliveryBody[] }>().deliveries;
      if (deliveries.every((d) => d.status === "delivered")) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(deliveries).toHaveLength(6);
    expect(deliveries[0]!.type).toBe("entry.deleted");
    expect(deliveries.every((d) => d.status === "delivered" && d.attempts === 1 && d.last_status_code === 204)).toBe(true);
    const signedIds = receiver.received.filter((r) => isSigned(secret, r)).map((r) => r.headers["webhook-id"]);
    expect(new Set(deliveries.map((d) => d.event_id))).toEqual(new Set(signedIds));
  });

  it("sends only the events subscribed to, only for the creator's entries; all_users (an admin's) sees everyone's", async () => {
    const eve = await t.signUp();
    const fay = await t.signUp();
    const mine = await create(eve, { url: forUrl("/mine"), events: ["entry.deleted"] });
    const everyone = await create(owner, { url: forUrl("/all"), events: ["entry.created"], all_users: true });
    const start = Date.UTC(2023, 3, 1, 9);
    const logged = await t.request("POST", "/entry", {
      token: fay.token,
      body: { category, start_time: new Date(start).toISOString(), end_time: new Date(start + 60_000).toISOString() },
    });
    const faysEntry = logged.json<{ entry: EntryBody }>().entry;
    await receiver.waitFor(() => bodies(everyone.secret).some((e) => e.data.entry?.id === faysEntry.id));
    const ping = await t.request("POST", `/webhooks/${mine.webhook.id}/ping`, { token: eve.token });
    expect(ping.statusCode).toBe(202);
    await receiver.waitFor(() => bodies(mine.secret).length >= 1);
    expect(bodies(mine.secret)).toEqual([expect.objectContaining({ type: "webhook.ping", data: { webhook_id: mine.webhook.id } })]);
  });

  it("retries a failed delivery with growing delays and the same webhook-id, and does not follow a redirect", async () => {
    const gus = await t.signUp();
    let failures = 2;
    const flaky = await webhookReceiver((_r, res) => {
      if (failures-- > 0) res.writeHead(500).end();
      else res.writeHead(200).end("ok");
    });
    const redirecting = await webhookReceiver((_r, res) => res.writeHead(302, { location: receiver.url }).end());
    try {
      const retried = await create(gus, { url: flaky.url, events: ["entry.created"] });
      const redirected = await create(gus, { url: redirecting.url, events: ["entry.created"] });
      const start = Date.UTC(2023, 4, 1, 9);
      await t.request("POST", "/entry", {
        token: gus.token,
        body: { category, start_time: new Date(start).toISOString(), end_time: new Date(start + 60_000).toISOString() },
      });
      await flaky.waitFor((r) => r.length >= 3);
      const [first, second, third] = flaky.received as [Received, Received, Received];
      expect(new Set([first, second, third].map((r) => r.headers["webhook-id"])).size).toBe(1);
      const gap1 = second.at - first.at;
      const gap2 = third.at - second.at;
      expect(gap1).toBeGreaterThanOrEqual(180); // base 0.2 s
      expect(gap2).toBeGreaterThanOrEqual(900); // then five times that
      await new Promise((resolve) => setTimeout(resolve, 300));
      const log = (await t.request("GET", `/webhooks/${retried.webhook.id}/deliveries`, { token: gus.token })).json<{ deliveries: DeliveryBody[] }>();
      expect(log.deliveries[0]).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 200 });
      await redirecting.waitFor((r) => r.length >= 1);
      const redirectLog = (await t.request("GET", `/webhooks/${redirected.webhook.id}/deliveries`, { token: gus.token })).json<{ deliveries: DeliveryBody[] }>();
      expect(redirectLog.deliveries[0]).toMatchObject({ status: "pending", last_status_code: 302 });
      expect(receiver.received.filter((r) => r.headers["webhook-id"] === redirecting.received[0]!.headers["webhook-id"] && r.body === redirecting.received[0]!.body)).toEqual([]);
    } finally {
      await Promise.all([flaky.close(), redirecting.close()]);
    }
  });
});

describe("webhook URLs on private networks (WEBHOOK_ALLOW_PRIVATE_NETWORKS unset)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("refuses loopback, private, link-local and unique-local addresses, and names resolving to loopback", async () => {
    const hal = await t.signUp();
    for (const url of [
      "http://127.0.0.1/hook",
      "http://10.1.2.3/hook",
      "http://192.168.1.1/hook",
      "http://172.16.0.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/hook",
      "http://[fd00::1]/hook",
      "http://[fe80::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://localhost/hook",
      "http://0.0.0.0/hook",
    ]) {
      const res = await t.request("POST", "/webhooks", { token: hal.token, body: { url, events: ["*"] } });
      expectProblem(res, 400, "WEBHOOK_URL_FORBIDDEN");
    }
    const created = await t.request("POST", "/webhooks", { token: hal.token, body: { url: "http://203.0.113.7/hook", events: ["*"] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Created>().webhook.id;
    expectProblem(await t.request("PATCH", `/webhooks/${id}`, { token: hal.token, body: { url: "http://127.0.0.2/" } }), 400, "WEBHOOK_URL_FORBIDDEN");
    expect((await t.request("DELETE", `/webhooks/${id}`, { token: hal.token })).statusCode).toBe(204);
  });
});
