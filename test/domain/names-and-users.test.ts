import { describe, expect, it } from "vitest";
import { parseCategoryName } from "../../src/domain/category.js";
import { ValidationFailed } from "../../src/domain/errors.js";
import { compareNames, nameKey, sortByName } from "../../src/domain/names.js";
import { checkNewPassword, parseNewUsername } from "../../src/domain/user.js";

describe("names", () => {
  it("compare case- and accent-insensitively, trimmed", () => {
    expect(nameKey("John")).toBe(nameKey("john"));
    expect(nameKey(" Work ")).toBe(nameKey("work"));
    expect(nameKey("Café")).toBe(nameKey("CAFE"));
    expect(nameKey("Ärger")).toBe(nameKey("ärger"));
    expect(nameKey("Straße")).toBe(nameKey("STRASSE"));
    expect(nameKey("Café")).toBe(nameKey("Cafe\u0301"));
    expect(nameKey("work")).not.toBe(nameKey("works"));
  });

  it("sort case-insensitively", () => {
    expect(["banana", "Apple", "cherry", "apple"].sort(compareNames)).toEqual(["Apple", "apple", "banana", "cherry"]);
  });

  it("sorts by name as compareNames does, each key computed once or taken as given", () => {
    const names = ["Zoë", "zoe", "ÄRGER", "arger", "🍌 b", "🍎 a", "\u{10400}x", "\uFFFDx", "b", "B", "  spaced"];
    const items = names.map((name, i) => ({ i, name }));
    let keys = 0;
    const sorted = sortByName(items, (item) => item.name, (item) => {
      keys++;
      return nameKey(item.name);
    });
    expect(sorted.map((item) => item.name)).toEqual([...names].sort(compareNames));
    expect(keys).toBe(names.length);
    expect(sortByName(items, (item) => item.name)).toEqual(sorted);
    // The input is left as it was.
    expect(items.map((item) => item.name)).toEqual(names);
  });
});

describe("new usernames", () => {
  it.each(["ann", "John.Doe", "a_b-c", "x".repeat(100), "  bob  "])("accepts %j (trimmed)", (name) => {
    expect(parseNewUsername(name)).toBe(name.trim());
  });

  it.each(["ab", "x".repeat(101), "ann smith", "ann@home", "Zoë", "'; DROP TABLE users; --", "", "日本"])("refuses %j", (name) => {
    expect(() => parseNewUsername(name)).toThrow(ValidationFailed);
  });
});

describe("new passwords", () => {
  it("are 8-256 characters, never trimmed", () => {
    expect(checkNewPassword("  spaced  ")).toBe("  spaced  ");
    expect(checkNewPassword("x".repeat(256))).toHaveLength(256);
    expect(() => checkNewPassword("1234567")).toThrow(ValidationFailed);
    expect(() => checkNewPassword("x".repeat(257))).toThrow(ValidationFailed);
  });
});

describe("category names", () => {
  it("are trimmed and 1-100 characters", () => {
    expect(parseCategoryName("  Deep Work  ")).toBe("Deep Work");
    expect(parseCategoryName("⏱".repeat(100))).toHaveLength(100);
    expect(() => parseCategoryName("   ")).toThrow(ValidationFailed);
    expect(() => parseCategoryName("x".repeat(101))).toThrow(ValidationFailed);
  });
});
