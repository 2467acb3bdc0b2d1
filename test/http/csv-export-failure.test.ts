import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CSV_ROWS_PER_PIECE } from "../../src/adapters/http/csv-export.js";
import { openTestStore } from "../support/stores.js";
import { StoreUnavailable } from "../../src/application/ports/store.js";
import { testApp, type TestApp } from "../support/http.js";
import { logEntry, makeCategory } from "../support/http-expect.js";

describe("CSV export that fails part-way", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("ends the response without its final chunk, so no client takes the part for the whole", async () => {
    const store = await openTestStore();
    t = await testApp({ store });
    const { username, token } = await t.signUp();
    const category = await makeCategory(t, token);
    for (let i = 0; i < 3; i++) {
      await logEntry(t, token, { category: category.name, start_time: `2026-02-10 0${i}:00:00`, end_time: `2026-02-10 0${i}:30:00` });
    }
    const stream = store.entries.streamByUser.bind(store.entries);
    // The store gives more than a piece of rows, then fails (as MySQL does when the server goes away).
    store.entries.streamByUser = async function* (userId, filter) {
      for (let i = 0; i <= CSV_ROWS_PER_PIECE; i++) yield* stream(userId, filter);
      throw new StoreUnavailable("the database went away");
    };
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/entries/${username}?format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let received = "";
    const read = async () => {
      for (;;) {
        const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
        if (done) return;
        received += Buffer.from(value).toString("utf8");
      }
    };
    await expect(read()).rejects.toThrow();
    // The first piece did reach the client: the failure came after it.
    expect(received.split("\r\n").length).toBeGreaterThan(CSV_ROWS_PER_PIECE);
  });
});
