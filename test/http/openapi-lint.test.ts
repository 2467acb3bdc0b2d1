import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProblems, isClean, lintOpenApi, summary } from "../../scripts/lint-openapi.js";
import { testApp, type TestApp } from "../support/http.js";

/** Spawning the CLI takes a few seconds; on a loaded machine, more. */
const LINT_TIMEOUT_MS = 60_000;

interface Document {
  servers?: unknown;
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, { security?: unknown; operationId?: string }>>;
}

describe("GET /openapi.json under Redocly CLI's recommended rules", () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await testApp();
    const res = await t.request("GET", "/openapi.json");
    expect(res.statusCode).toBe(200);
    doc = res.json<Document>();
  });
  afterAll(async () => {
    await t.close();
  });

  it("is lint-clean: no error, no warning, nothing ignored", { timeout: LINT_TIMEOUT_MS }, async () => {
    const result = await lintOpenApi(doc);
    expect(describeProblems(result), summary(result)).toBe("");
    expect(result.totals).toStrictEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(isClean(result), result.stderr).toBe(true);
  });

  it("is linted by the exact Redocly CLI version package.json pins", { timeout: LINT_TIMEOUT_MS }, async () => {
    const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const pinned = manifest.devDependencies["@redocly/cli"];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const result = await lintOpenApi({ openapi: "3.0.3", info: { title: "x", version: "1" }, paths: {} });
    expect(result.version).toBe(pinned);
  });

  it("would fail: the same lint reports a dropped `servers` as an error and a missing tag description as a warning", { timeout: LINT_TIMEOUT_MS }, async () => {
    const broken = structuredClone(doc);
    delete broken.servers;
    delete broken.tags?.[0]?.description;
    const result = await lintOpenApi(broken);
    expect(isClean(result)).toBe(false);
    expect(result.exitCode).not.toBe(0);
    const found = result.problems.map((problem) => `${problem.severity} ${problem.ruleId}`).sort();
    expect(found).toStrictEqual(["error no-empty-servers", "warn tag-description"]);
  });

  it("lists the instance itself as the server, the MIT license, and a description for every tag", () => {
    const full = doc as Document & { info: { license?: { name: string } } };
    expect(full.servers).toStrictEqual([{ url: "/", description: expect.any(String) }]);
    expect(full.info.license?.name).toBe("MIT");
    for (const tag of doc.tags ?? []) expect(tag.description, tag.name).toBeTruthy();
  });

  it("gives every operation a unique operationId and a security requirement (an empty one when public)", () => {
    const ids: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(Array.isArray(operation.security), `${method} ${path}`).toBe(true);
        ids.push(operation.operationId ?? "");
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/health"]?.get?.security).toStrictEqual([]);
    expect(doc.paths["/register"]?.post?.security).toStrictEqual([]);
    expect(doc.paths["/login"]?.post?.security).toStrictEqual([]);
  });
});
