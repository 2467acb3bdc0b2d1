import { ValidationFailed } from "./errors.js";

export type CategoryId = number;

export interface Category {
  readonly id: CategoryId;
  readonly name: string;
}

export const CATEGORY_NAME_MAX = 100;

/** A category name is stored as first written, trimmed, 1-100 characters. */
export function parseCategoryName(raw: string, field = "name"): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > CATEGORY_NAME_MAX) {
    throw new ValidationFailed(field, `must be 1-${CATEGORY_NAME_MAX} characters after trimming`);
  }
  return name;
}
