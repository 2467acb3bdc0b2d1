import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../support/http.js";
import { parsePrometheusText } from "../support/prometheus.js";

const TOKEN = "metrics-token-for-tests";

describe("GET /metrics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  const scrape = () => t.request("GET", "/metrics", { token: TOKEN });

  it("answers 404 when METRICS_TOKEN is not set", async () => {
    const plain = await testApp();
    try {
      const res = await plain.request("GET", "/metrics", { token: TOKEN });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await plain.close();
    }
  });

  it("needs the bearer token: 401 without it or with another", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: TOKEN }] as Record<string, string>[]) {
      const res = await t.request("GET", "/metrics", { headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers["www-authenticate"]).toContain("Bearer");
      expect(res.body).not.toContain("http_requests_total");
    }
    // A user's session token is not the metrics token.
    const user = await t.signUp();
    expect((await t.request("GET", "/metrics", { token: user.token })).statusCode).toBe(401);
  });

  it("counts requests by route template and status, with durations, pool usage and event-loop lag", async () => {
    const user = await t.signUp();
    for (const id of [1, 2, 3]) await t.request("GET", `/entry/${id}`, { token: user.token });
    await t.request("GET", "/no/such/route/4711");
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    const { samples, types } = parsePrometheusText(res.body);
    const find = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

    expect(types.get("http_requests_total")).toBe("counter");
    expect(types.get("http_request_duration_seconds")).toBe("histogram");
    // One series for the template, none per id.
    expect(find("http_requests_total", { method: "GET", route: "/entry/:id", status_code: "404" })[0]?.value).toBe(3);
    expect(samples.some((s) => s.labels.route?.includes("4711") || s.labels.route === "/entry/1")).toBe(false);
    expect(find("http_requests_total", { route: "(unmatched)", status_code: "404" })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find("http_requests_total", { route: "/register", status_code: "201" })[0]?.value).toBeGreaterThanOrEqual(1);
    const count = find("http_request_duration_seconds_count", { route: "/entry/:id", status_code: "404" })[0];
    expect(count?.value).toBe(3);
    const inf = find("http_request_duration_seconds_bucket", { route: "/entry/:id", status_code: "404", le: "+Inf" })[0];
    expect(inf?.value).toBe(3);
    expect(find("http_request_duration_seconds_sum", { route: "/entry/:id" })[0]?.value).toBeGreaterThan(0);

    expect(find("db_pool_connections_limit")[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find("db_pool_connections_open")[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find("db_pool_connections_in_use")[0]?.value).toBeGreaterThanOrEqual(0);
    expect(find("db_pool_waiting")[0]?.value).toBe(0);
    expect(types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    expect(find("nodejs_eventloop_lag_seconds")[0]?.value).toBeGreaterThanOrEqual(0);
  });

  it("gauges the webhook deliveries not yet made", async () => {
    const depth = async () => {
      const { samples, types } = parsePrometheusText((await scrape()).body);
      expect(types.get("webhook_deliveries_pending")).toBe("gauge");
      return samples.find((s) => s.name === "webhook_deliveries_pending")?.value;
    };
    const before = await depth();
    const user = await t.signUp();
    // Nothing answers at this address (TEST-NET-3): each delivery stays pending, waiting for a retry.
    const hook = await t.request("POST", "/webhooks", { token: user.token, body: { url: "http://203.0.113.7/hook", events: ["entry.created"] } });
    expect(hook.statusCode, hook.body).toBe(201);
    await t.request("POST", "/category", { token: user.token, body: { name: "Metrics" } });
    for (const hour of ["09", "10"]) {
      const made = await t.request("POST", "/entry", {
        token: user.token,
        body: { category: "Metrics", start_time: `2024-05-02 ${hour}:00:00`, end_time: `2024-05-02 ${hour}:30:00` },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    expect(await depth()).toBe((before ?? 0) + 2);
  });

  it("is not part of the API document", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).not.toContain("/metrics");
  });
});
