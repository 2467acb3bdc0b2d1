import { describe, expect, it } from "vitest";
import { parseTarget, secondsOnDayByCategory, targetProgress } from "../../../web/src/lib/targets.js";

describe("daily targets", () => {
  it("reads a target typed as h:mm or whole hours, from a minute to a day", () => {
    expect(parseTarget("1:30")).toBe(5400);
    expect(parseTarget(" 2 ")).toBe(7200);
    expect(parseTarget("0:01")).toBe(60);
    expect(parseTarget("24:00")).toBe(86_400);
    for (const text of ["", "0", "0:00", "24:01", "1:60", "1:5", "1.5", "-1", "1:30:00", "abc", "100"]) expect(parseTarget(text), text).toBeNull();
  });

  it("says how far along today is: the ring's name, its fill, and the time left or over", () => {
    expect(targetProgress("Work", 5400, 7200)).toEqual({ fraction: 0.75, over: false, label: "Work: 1:30 of 2:00", status: "0:30 left" });
    // A second short is a minute left, not "0:00 left".
    expect(targetProgress("Work", 7199, 7200).status).toBe("0:01 left");
    expect(targetProgress("Work", 7200, 7200)).toMatchObject({ fraction: 1, over: false, status: "Target reached" });
    expect(targetProgress("Work", 8100.7, 7200)).toEqual({ fraction: 1, over: true, label: "Work: 2:15 of 2:00", status: "0:15 over target" });
    expect(targetProgress("Email", 0, 1800)).toMatchObject({ fraction: 0, label: "Email: 0:00 of 0:30", status: "0:30 left" });
  });

  it("adds up each category's time on one local day, cut at midnight, a running entry up to now", () => {
    const local = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute).toISOString();
    const now = new Date(2026, 2, 10, 12, 0);
    const entries = [
      { category_id: 1, start_time: local(9, 23), end_time: local(10, 1) },
      { category_id: 1, start_time: local(10, 9), end_time: local(10, 10, 30) },
      { category_id: 2, start_time: local(10, 11), end_time: null },
      { category_id: 3, start_time: local(8, 9), end_time: local(8, 10) },
    ];
    expect(secondsOnDayByCategory(entries, "2026-03-10", now)).toEqual(new Map([[1, 3600 + 5400], [2, 3600]]));
  });
});
