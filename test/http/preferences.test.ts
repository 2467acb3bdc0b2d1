import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../support/http.js";
import { expectProblem, expectValidationError, makeCategory } from "../support/http-expect.js";

describe("GET and PATCH /me/preferences: daily targets", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("starts empty, replaces the whole list, sorted by category, and is each user's own", async () => {
    const [ann, bob] = [await t.signUp(), await t.signUp()];
    const [work, play] = [await makeCategory(t, ann.token), await makeCategory(t, ann.token)];
    expect((await t.request("GET", "/me/preferences", { token: ann.token })).json()).toEqual({ daily_targets: [] });
    const targets = [
      { category_id: play.id, seconds: 1800 },
      { category_id: work.id, seconds: 4 * 3600 },
    ];
    const set = await t.request("PATCH", "/me/preferences", { token: ann.token, body: { daily_targets: targets } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().daily_targets).toEqual([...targets].sort((a, b) => a.category_id - b.category_id));
    expect((await t.request("GET", "/me/preferences", { token: ann.token })).json()).toEqual(set.json());
    expect((await t.request("GET", "/me/preferences", { token: bob.token })).json()).toEqual({ daily_targets: [] });
    const replaced = await t.request("PATCH", "/me/preferences", { token: ann.token, body: { daily_targets: [{ category_id: work.id, seconds: 60 }] } });
    expect(replaced.json()).toEqual({ daily_targets: [{ category_id: work.id, seconds: 60 }] });
    expect((await t.request("PATCH", "/me/preferences", { token: ann.token, body: { daily_targets: [] } })).json()).toEqual({ daily_targets: [] });
  });

  it("refuses bad targets and unknown categories, changing nothing", async () => {
    const ann = await t.signUp();
    const work = await makeCategory(t, ann.token);
    const kept = { daily_targets: [{ category_id: work.id, seconds: 3600 }] };
    await t.request("PATCH", "/me/preferences", { token: ann.token, body: kept });
    const patch = (body: unknown) => t.request("PATCH", "/me/preferences", { token: ann.token, body });
    expectValidationError(await patch({ daily_targets: [{ category_id: work.id, seconds: 59 }] }), "/daily_targets/0/seconds");
    expectValidationError(await patch({ daily_targets: [{ category_id: work.id, seconds: 86_401 }] }), "/daily_targets/0/seconds");
    expectValidationError(await patch({ daily_targets: [{ category_id: work.id, seconds: 60.5 }] }), "/daily_targets/0/seconds");
    expectValidationError(await patch({ daily_targets: [{ category_id: work.id, seconds: 60, extra: 1 }] }), "/daily_targets/0/extra");
    expectValidationError(await patch({}), "/daily_targets");
    expectValidationError(
      await patch({ daily_targets: [{ category_id: work.id, seconds: 60 }, { category_id: work.id, seconds: 120 }] }),
      "/daily_targets",
    );
    expectProblem(await patch({ daily_targets: [{ category_id: 2_000_000_000, seconds: 60 }] }), 404, "CATEGORY_NOT_FOUND");
    expectValidationError(await patch({ daily_targets: [{ category_id: 0, seconds: 60 }] }), "/daily_targets/0/category_id");
    expect((await t.request("GET", "/me/preferences", { token: ann.token })).json()).toEqual(kept);
    expectProblem(await t.request("GET", "/me/preferences"), 401, "UNAUTHENTICATED");
  });
});
