/** The columns a store's `sumForReport` groups by, on `e` (time_entries) and `p` (projects, joined only for the client). */
export const SUM_COLUMNS = {
  category: "e.category_id",
  project: "e.project_id",
  client: "p.client_id",
  user: "e.user_id",
} as const;

export type SumColumn = keyof typeof SUM_COLUMNS;
