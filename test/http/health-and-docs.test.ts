import SwaggerParser from "@apidevtools/swagger-parser";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore } from "../support/stores.js";
import { testApp, type TestApp } from "../support/http.js";
import { ENTRY_KEYS } from "../support/http-expect.js";

interface OpenApiOperation {
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly responses?: Record<string, unknown>;
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: { readonly schemas: Record<string, { readonly required?: readonly string[] }> };
}

/** Every route of the contract that exists now, with its methods. */
const ROUTES: Record<string, readonly string[]> = {
  "/health": ["get"],
  "/register": ["post"],
  "/login": ["post"],
  "/logout": ["post"],
  "/me": ["get", "delete"],
  "/me/password": ["post"],
  "/me/sessions": ["get"],
  "/me/sessions/{id}": ["delete"],
  "/me/export": ["get"],
  "/me/totp": ["post", "delete"],
  "/me/totp/confirm": ["post"],
  "/users": ["get"],
  "/category": ["get", "post"],
  "/entry": ["get", "post"],
  "/entry/{id}/stop": ["post"],
  "/entry/{id}": ["delete", "get", "patch", "put"],
  "/entries/{username}": ["get"],
  "/reports/summary": ["get"],
  "/tokens": ["get", "post"],
  "/tokens/{id}": ["delete"],
  "/protected": ["get"],
  "/get/categories": ["get"],
  "/entry/create": ["post"],
  "/entry/delete": ["delete"],
  "/entry/batch-import": ["post"],
};

const PUBLIC_ROUTES = new Set(["/health", "/register", "/login", "/get/categories"]);

describe("GET /health", () => {
  it("answers 200 healthy with the database up, without a token", async () => {
    const t = await testApp();
    try {
      const res = await t.request("GET", "/health");
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["x-request-id"]).toBeTruthy();
      expect(res.json()).toStrictEqual({ status: "healthy", checks: { database: "up" } });
    } finally {
      await t.close();
    }
  });

  it("answers 503 unhealthy with the database down while the store does not answer", async () => {
    const store = await openTestStore();
    let up = false;
    store.ping = async () => up;
    const t = await testApp({ store });
    try {
      const down = await t.request("GET", "/health");
      expect(down.statusCode).toBe(503);
      expect(down.headers["x-request-id"]).toBeTruthy();
      expect(down.json()).toStrictEqual({ status: "unhealthy", checks: { database: "down" } });
      // The process stays up and recovers by itself once the database answers again.
      up = true;
      const again = await t.request("GET", "/health");
      expect(again.statusCode).toBe(200);
      expect(again.json()).toStrictEqual({ status: "healthy", checks: { database: "up" } });
    } finally {
      await t.close();
    }
  });
});

describe("GET /openapi.json and /docs", () => {
  let t: TestApp;
  let res: LightMyRequestResponse;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await testApp();
    res = await t.request("GET", "/openapi.json");
    doc = res.json<OpenApiDocument>();
  });
  afterAll(async () => {
    await t.close();
  });

  it("serves the document without a token", () => {
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["x-request-id"]).toBeTruthy();
    expect(doc.openapi).toMatch(/^3\./);
  });

  it("is a valid OpenAPI 3 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("lists every route of the contract with its methods", () => {
    for (const [path, methods] of Object.entries(ROUTES)) {
      expect(doc.paths, path).toHaveProperty([path]);
      const declared = Object.keys(doc.paths[path] ?? {}).filter((key) =>
        ["get", "post", "put", "patch", "delete"].includes(key),
      );
      expect(declared.sort(), path).toEqual([...methods].sort());
    }
  });

  it("marks every protected operation as needing the bearer token, and the public ones not", () => {
    for (const [path, methods] of Object.entries(ROUTES)) {
      for (const method of methods) {
        const operation = doc.paths[path]?.[method];
        const bearer = (operation?.security ?? []).some((requirement) => "bearer" in requirement);
        expect(bearer, `${method.toUpperCase()} ${path}`).toBe(!PUBLIC_ROUTES.has(path));
      }
    }
  });

  it("names its schemas after the code's schemas, never def-N", () => {
    const names = Object.keys(doc.components.schemas);
    for (const name of ["TimeEntry", "ProblemDetails", "Category", "EntryList", "UserList", "NewTimeEntry", "Credentials"]) {
      expect(names).toContain(name);
    }
    expect(names.filter((name) => /^def-\d+$/.test(name))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/#\/components\/schemas\/def-\d+/);
  });

  it("describes a time entry with every field of the contract", () => {
    expect([...(doc.components.schemas.TimeEntry?.required ?? [])].sort()).toEqual([...ENTRY_KEYS].sort());
  });

  it("serves the Swagger UI as HTML at /docs (following a redirect if there is one)", async () => {
    let url = "/docs";
    let page = await t.request("GET", url);
    for (let hops = 0; hops < 3 && page.statusCode >= 300 && page.statusCode < 400; hops++) {
      const location = page.headers.location;
      expect(typeof location).toBe("string");
      url = new URL(String(location), `http://localhost${url}`).pathname;
      page = await t.request("GET", url);
    }
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body.toLowerCase()).toContain("<html");
    expect(page.body.toLowerCase()).toContain("swagger");
  });
});
