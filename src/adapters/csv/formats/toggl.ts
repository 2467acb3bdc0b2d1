import { trackerExport } from "./cells.js";

/** Toggl Track's detailed CSV export: dates YYYY-MM-DD, times HH:MM:SS, local; tags comma-separated. */
export const togglFormat = trackerExport(
  "toggl",
  {
    client: "Client",
    project: "Project",
    description: "Description",
    billable: "Billable",
    tags: "Tags",
    startDate: "Start date",
    startTime: "Start time",
    endDate: "End date",
    endTime: "End time",
  },
  "ymd",
);
