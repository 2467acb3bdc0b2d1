import { localTime, optional, type FormatReader } from "./cells.js";

/** The template of the seed's own web application: dates MM/DD/YYYY, times HH:MM, local. */
export const seedAppFormat: FormatReader = {
  format: "seed-app",
  columns: ["category", "start_date", "start_time", "end_date", "end_time"],
  read(cells, row) {
    return {
      row,
      username: null,
      category: optional(cells("category")),
      start: localTime(cells("start_date"), cells("start_time"), "mdy", { date: "start_date", time: "start_time" }),
      end: localTime(cells("end_date"), cells("end_time"), "mdy", { date: "end_date", time: "end_time" }),
      note: null,
      project: null,
      client: null,
      tags: [],
      billable: undefined,
    };
  },
};
