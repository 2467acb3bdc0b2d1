import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../support/http.js";
import {
  allCategories,
  expectValidationError,
  type CategoryBody,
} from "../support/http-expect.js";
import { uniqueName } from "../support/names.js";

interface Creation {
  message: string;
  category: CategoryBody;
}

describe("categories", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe("POST /category", () => {
    it("answers 201 with the new category", async () => {
      const { token } = await t.signUp();
      const name = uniqueName("Work");
      const res = await t.request("POST", "/category", { token, body: { name } });
      expect(res.statusCode).toBe(201);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["x-request-id"]).toBeTruthy();
      const body = res.json<Creation>();
      expect(Object.keys(body).sort()).toEqual(["category", "message"]);
      expect(body.message).toBe("Category created successfully");
      expect(Object.keys(body.category).sort()).toEqual(["id", "name"]);
      expect(Number.isInteger(body.category.id)).toBe(true);
      expect(body.category.name).toBe(name);
    });

    it("answers 200 'Category already exists' with the existing one for the same name in another case", async () => {
      const { token } = await t.signUp();
      const name = uniqueName("MixedCase");
      const created = (await t.request("POST", "/category", { token, body: { name } })).json<Creation>();
      for (const again of [name, name.toUpperCase(), name.toLowerCase(), `  ${name}\t`]) {
        const res = await t.request("POST", "/category", { token, body: { name: again } });
        expect(res.statusCode, again).toBe(200);
        expect(res.json<Creation>()).toStrictEqual({ message: "Category already exists", category: created.category });
      }
      // Another user sees the same, shared category.
      const other = await t.signUp();
      const res = await t.request("POST", "/category", { token: other.token, body: { name: name.toUpperCase() } });
      expect(res.statusCode).toBe(200);
      expect(res.json<Creation>().category).toStrictEqual(created.category);
      const names = (await allCategories(t, token)).filter((category) => category.name.toLowerCase() === name.toLowerCase());
      expect(names).toStrictEqual([created.category]);
    });

    it("compares names outside ASCII case-insensitively too", async () => {
      const { token } = await t.signUp();
      const tag = uniqueName("").slice(1);
      for (const [first, ...others] of [
        [`Ärger ${tag}`, `ÄRGER ${tag}`, `ärger ${tag}`],
        [`Σίσυφος ${tag}`, `ΣΊΣΥΦΟΣ ${tag}`, `σίσυφοσ ${tag}`],
      ] as const) {
        const created = await t.request("POST", "/category", { token, body: { name: first } });
        expect(created.statusCode, created.body).toBe(201);
        for (const other of others) {
          const res = await t.request("POST", "/category", { token, body: { name: other } });
          expect(res.statusCode, other).toBe(200);
          expect(res.json<Creation>().category).toStrictEqual(created.json<Creation>().category);
        }
      }
    });

    it("stores the name trimmed", async () => {
      const { token } = await t.signUp();
      const name = uniqueName("Trimmed");
      const res = await t.request("POST", "/category", { token, body: { name: `  ${name}  ` } });
      expect(res.statusCode).toBe(201);
      expect(res.json<Creation>().category.name).toBe(name);
      expect(await allCategories(t, token)).toContainEqual(res.json<Creation>().category);
    });

    it("accepts names of 1 to 100 characters, counted as characters", async () => {
      const { token } = await t.signUp();
      const suffix = uniqueName("").slice(1);
      for (const name of ["q", suffix.padEnd(100, "x"), suffix.padEnd(90, "y") + "😀".repeat(10)]) {
        const res = await t.request("POST", "/category", { token, body: { name } });
        expect([200, 201], `${name}: ${res.body}`).toContain(res.statusCode);
        expect(res.json<Creation>().category.name.toLowerCase()).toBe(name.toLowerCase());
      }
    });

    it.each([
      ["empty", ""],
      ["only spaces", "   "],
      ["only whitespace of other kinds", "\t\n\r "],
      ["101 characters", "c".repeat(101)],
      ["101 characters after trimming", ` ${"d".repeat(101)} `],
    ])("answers 400 for a name that is %s, and keeps nothing", async (_label, name) => {
      const { token } = await t.signUp();
      const before = await allCategories(t, token);
      expectValidationError(await t.request("POST", "/category", { token, body: { name } }), "/name");
      expect(await allCategories(t, token)).toStrictEqual(before);
    });

    it("answers 400 naming a missing name or an unknown field", async () => {
      const { token } = await t.signUp();
      expectValidationError(await t.request("POST", "/category", { token, body: {} }), "/name");
      expectValidationError(
        await t.request("POST", "/category", { token, body: { name: uniqueName("c"), color: "red" } }),
        "/color",
      );
    });
  });

  describe("GET /category", () => {
    it("lists every category wrapped in an object, sorted by name case-insensitively", async () => {
      const { token } = await t.signUp();
      const prefix = uniqueName("sort");
      const names = [`${prefix}-cherry`, `${prefix}-Banana`, `${prefix}-apple`, `${prefix}-Apricot`, `${prefix}-banana2`];
      for (const name of names) await t.request("POST", "/category", { token, body: { name } });
      const res = await t.request("GET", "/category", { token });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.json<{ categories: CategoryBody[] }>();
      expect(Object.keys(body)).toEqual(["categories"]);
      for (const category of body.categories) {
        expect(Object.keys(category).sort()).toEqual(["id", "name"]);
        expect(Number.isInteger(category.id)).toBe(true);
        expect(typeof category.name).toBe("string");
      }
      const ours = body.categories.map((category) => category.name).filter((name) => name.startsWith(prefix));
      expect(ours).toEqual([`${prefix}-apple`, `${prefix}-Apricot`, `${prefix}-Banana`, `${prefix}-banana2`, `${prefix}-cherry`]);
    });
  });
});
