import type { UserId } from "../../../domain/user.js";
import type { TotpState, TwoFactorRepository } from "../../../application/ports/two-factor.js";
import type { SqlAccess } from "./sqlite-database.js";
import { fromNullableEpochSeconds, toEpochSeconds } from "./sqlite-values.js";

const FIND = "SELECT secret, enabled_at, last_step FROM user_totp WHERE user_id = ?";
// A secret that is on already stays: only a pending one is replaced.
const SAVE_PENDING =
  "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?, ?, ?) " +
  "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at WHERE enabled_at IS NULL";
const ENABLE = "UPDATE user_totp SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at IS NULL";
const DELETE_CODES = "DELETE FROM totp_recovery_codes WHERE user_id = ?";
const INSERT_CODE = "INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)";
const USE_STEP =
  "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND enabled_at IS NOT NULL AND (last_step IS NULL OR last_step < ?)";
const USE_CODE = "UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL";
const UNUSED = "SELECT COUNT(*) AS n FROM totp_recovery_codes WHERE user_id = ? AND used_at IS NULL";
const DELETE = "DELETE FROM user_totp WHERE user_id = ?";

interface TotpRow {
  secret: string;
  enabled_at: number | null;
  last_step: number | null;
}

/** TOTP secrets (sealed) and recovery codes (SHA-256) per user; every use is one conditional write. */
export class SqliteTwoFactorRepository implements TwoFactorRepository {
  constructor(private readonly sql: SqlAccess) {}

  find(userId: UserId): Promise<TotpState | null> {
    return this.sql.read((c) => {
      const row = c.statement<TotpRow>(FIND).get(userId);
      return row ? { sealedSecret: row.secret, enabledAt: fromNullableEpochSeconds(row.enabled_at), lastStep: row.last_step } : null;
    });
  }

  async savePending(userId: UserId, sealedSecret: string, now: Date): Promise<void> {
    await this.sql.write((c) => c.statement(SAVE_PENDING).run(userId, sealedSecret, toEpochSeconds(now)));
  }

  enable(userId: UserId, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean> {
    return this.sql.write((c) => {
      if (c.statement(ENABLE).run(toEpochSeconds(now), step, userId).changes === 0) return false;
      c.statement(DELETE_CODES).run(userId);
      const insert = c.statement(INSERT_CODE);
      for (const hash of new Set(recoveryCodeHashes)) insert.run(userId, hash);
      return true;
    });
  }

  useStep(userId: UserId, step: number): Promise<boolean> {
    return this.sql.write((c) => c.statement(USE_STEP).run(step, userId, step).changes > 0);
  }

  useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean> {
    return this.sql.write((c) => c.statement(USE_CODE).run(toEpochSeconds(now), userId, codeHash).changes > 0);
  }

  unusedRecoveryCodes(userId: UserId): Promise<number> {
    return this.sql.read((c) => c.statement<{ n: number }>(UNUSED).get(userId)?.n ?? 0);
  }

  async remove(userId: UserId): Promise<void> {
    await this.sql.write((c) => {
      c.statement(DELETE_CODES).run(userId);
      c.statement(DELETE).run(userId);
    });
  }
}
