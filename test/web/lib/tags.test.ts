import { describe, expect, it } from "vitest";
import { choosableProjects, entryProjectLabel, projectLabel } from "../../../web/src/lib/projects.js";
import { addTags, MAX_TAGS, removeTag, sameTags, tagSuggestions } from "../../../web/src/lib/tags.js";

describe("tags", () => {
  it("adds typed names split at commas, trimmed, once whatever their case, known ones as stored", () => {
    expect(addTags([], " client call , design,,")).toEqual({ tags: ["client call", "design"], problem: null });
    expect(addTags(["Design"], "design, DESIGN")).toEqual({ tags: ["Design"], problem: null });
    expect(addTags([], "urgent", ["Urgent"]).tags).toEqual(["Urgent"]);
    expect(addTags(["a"], "   ")).toEqual({ tags: ["a"], problem: null });
  });

  it("refuses a name over 50 characters and a 21st tag, saying why, and keeps the rest", () => {
    const long = "x".repeat(51);
    expect(addTags([], `${long}, ok`)).toEqual({ tags: ["ok"], problem: "A tag has at most 50 characters." });
    expect(addTags([], "y".repeat(50)).tags).toHaveLength(1);
    const twenty = Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`);
    expect(addTags(twenty, "one more")).toEqual({ tags: twenty, problem: "An entry has at most 20 tags." });
    // A name already there is no 21st.
    expect(addTags(twenty, "T3").problem).toBeNull();
  });

  it("removes a tag and compares lists case-insensitively, in any order", () => {
    expect(removeTag(["Design", "call"], "design")).toEqual(["call"]);
    expect(sameTags(["b", "A"], ["a", "B"])).toBe(true);
    expect(sameTags(["a"], ["a", "b"])).toBe(false);
    expect(sameTags([], [])).toBe(true);
  });

  it("suggests the known tags not chosen yet, those starting with the text first", () => {
    const known = ["billing", "call", "client call", "design"];
    expect(tagSuggestions(known, ["Design"], "")).toEqual(["billing", "call", "client call"]);
    expect(tagSuggestions(known, [], "cli")).toEqual(["client call"]);
    expect(tagSuggestions(known, [], "CALL")).toEqual(["call", "client call"]);
    expect(tagSuggestions(known, [], "", 2)).toEqual(["billing", "call"]);
  });
});

describe("projects in pickers", () => {
  const project = (id: number, name: string, client: string | null, archived = false) => ({ id, name, client, archived });

  it("names a project with its client", () => {
    expect(projectLabel({ name: "Website", client: "Acme" })).toBe("Website (Acme)");
    expect(projectLabel({ name: "Internal", client: null })).toBe("Internal");
    expect(entryProjectLabel({ project: "Website", client: "Acme" })).toBe("Website (Acme)");
    expect(entryProjectLabel({ project: null, client: null })).toBe("");
  });

  it("offers the projects not archived, and the entry's own archived one, by label", () => {
    const all = [project(1, "Website", "Acme"), project(2, "Legacy", "Acme", true), project(3, "App", "Zeta"), project(4, "Admin", null)];
    expect(choosableProjects(all, null).map((p) => p.id)).toEqual([4, 3, 1]);
    expect(choosableProjects(all, 2).map((p) => p.id)).toEqual([4, 3, 2, 1]);
  });
});
