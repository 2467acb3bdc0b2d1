/** Ids are positive and fit the stores' INT UNSIGNED columns. */
export const MAX_ID = 4_294_967_295;

/** Whether `value` could be the id of a stored row (anything else names none). */
export function isStoredId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_ID;
}
