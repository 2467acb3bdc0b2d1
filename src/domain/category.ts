import { parseName } from "./names.js";

export type CategoryId = number;

export interface Category {
  readonly id: CategoryId;
  readonly name: string;
}

export const CATEGORY_NAME_MAX = 100;

/** A category name is stored as first written, trimmed, 1-100 characters. */
export function parseCategoryName(raw: string, field = "name"): string {
  return parseName(raw, field, CATEGORY_NAME_MAX);
}
