import { optional, splitTags, yesNo, type FormatReader } from "./cells.js";

/** This service's own CSV export: the seed's seven columns, or all thirteen. Ids are ignored. */
export const timeTrackerFormat: FormatReader = {
  format: "time-tracker",
  columns: ["id", "username", "category", "start_time", "end_time", "duration_seconds", "note"],
  read(cells, row) {
    const end = optional(cells("end_time"));
    return {
      row,
      username: optional(cells("username")),
      category: optional(cells("category")),
      start: { instant: cells("start_time").trim() },
      end: end === null ? null : { instant: end },
      note: optional(cells("note")),
      project: optional(cells("project")),
      client: optional(cells("client")),
      tags: splitTags(cells("tags"), ";"),
      billable: yesNo(cells("billable"), "billable"),
    };
  },
};
