import type { RowDataPacket } from "mysql2/promise";
import type { UserId } from "../../../domain/user.js";
import type { TotpState, TwoFactorRepository } from "../../../application/ports/two-factor.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";

interface TotpRow extends RowDataPacket {
  secret: string;
  enabled_at: Date | null;
  last_step: number | string | null;
}

/** TOTP secrets (sealed) and recovery codes (SHA-256) per user; every use is one conditional write. */
export class MySqlTwoFactorRepository implements TwoFactorRepository {
  constructor(private readonly db: SqlRunner) {}

  async find(userId: UserId): Promise<TotpState | null> {
    const rows = await this.db.select<TotpRow>("SELECT secret, enabled_at, last_step FROM user_totp WHERE user_id = ?", [userId]);
    const row = rows[0];
    return row
      ? { sealedSecret: row.secret, enabledAt: row.enabled_at, lastStep: row.last_step === null ? null : Number(row.last_step) }
      : null;
  }

  async savePending(userId: UserId, sealedSecret: string, now: Date): Promise<void> {
    // A secret that is on already stays: only a pending one is replaced.
    await this.db.change(
      "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE " +
        "secret = IF(enabled_at IS NULL, VALUES(secret), secret), created_at = IF(enabled_at IS NULL, VALUES(created_at), created_at)",
      [userId, sealedSecret, toSecond(now)],
    );
  }

  /** Three statements: atomic inside a unit of work; on the pool, the first decides who enables. */
  async enable(userId: UserId, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean> {
    const enabled = await this.db.change(
      "UPDATE user_totp SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at IS NULL",
      [toSecond(now), step, userId],
    );
    if (enabled.affectedRows === 0) return false;
    await this.db.change("DELETE FROM totp_recovery_codes WHERE user_id = ?", [userId]);
    const hashes = [...new Set(recoveryCodeHashes)];
    if (hashes.length > 0) {
      await this.db.change(
        `INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES ${hashes.map(() => "(?, ?)").join(", ")}`,
        hashes.flatMap((hash) => [userId, hash]),
      );
    }
    return true;
  }

  async useStep(userId: UserId, step: number): Promise<boolean> {
    const result = await this.db.change(
      "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND enabled_at IS NOT NULL AND (last_step IS NULL OR last_step < ?)",
      [step, userId, step],
    );
    return result.affectedRows > 0;
  }

  async useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean> {
    const result = await this.db.change(
      "UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
      [toSecond(now), userId, codeHash],
    );
    return result.affectedRows > 0;
  }

  async unusedRecoveryCodes(userId: UserId): Promise<number> {
    const rows = await this.db.select<RowDataPacket>(
      "SELECT COUNT(*) AS n FROM totp_recovery_codes WHERE user_id = ? AND used_at IS NULL",
      [userId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async remove(userId: UserId): Promise<void> {
    await this.db.change("DELETE FROM totp_recovery_codes WHERE user_id = ?", [userId]);
    await this.db.change("DELETE FROM user_totp WHERE user_id = ?", [userId]);
  }
}
