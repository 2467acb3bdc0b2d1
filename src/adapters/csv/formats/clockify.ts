import { trackerExport } from "./cells.js";

/** Clockify's detailed CSV export: dates MM/DD/YYYY, times hh:mm:ss AM/PM or HH:mm:ss, local. */
export const clockifyFormat = trackerExport(
  "clockify",
  {
    client: "Client",
    project: "Project",
    description: "Description",
    billable: "Billable",
    tags: "Tags",
    startDate: "Start Date",
    startTime: "Start Time",
    endDate: "End Date",
    endTime: "End Time",
  },
  "mdy",
);
