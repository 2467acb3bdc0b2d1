/** How many recovery codes a user gets when two-factor login is turned on. */
export const RECOVERY_CODE_COUNT = 10;

const TOTP_CODE = /^[0-9]{6}$/;

/** Whether `code` has the form of a TOTP code (six digits, spaces allowed between them). */
export function isTotpCode(code: string): boolean {
  return TOTP_CODE.test(code.replace(/\s+/g, ""));
}

/** A TOTP code as compared: the six digits without spaces. */
export function normalizeTotpCode(code: string): string {
  return code.replace(/\s+/g, "");
}

/**
 * A recovery code as compared and hashed: lower case, without the spaces and dashes people type
 * between its groups ("ABCD-EFGH" and "abcdefgh" are one code).
 */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}
