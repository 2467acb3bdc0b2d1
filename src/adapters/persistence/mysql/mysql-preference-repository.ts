import type { RowDataPacket } from "mysql2/promise";
import type { DailyTarget } from "../../../domain/preferences.js";
import type { UserId } from "../../../domain/user.js";
import type { PreferenceRepository } from "../../../application/ports/preference-repository.js";
import type { SqlRunner } from "./mysql-database.js";

interface TargetRow extends RowDataPacket {
  category_id: number;
  seconds: number;
}

export class MySqlPreferenceRepository implements PreferenceRepository {
  constructor(private readonly db: SqlRunner) {}

  async dailyTargets(userId: UserId): Promise<DailyTarget[]> {
    const rows = await this.db.select<TargetRow>(
      "SELECT category_id, seconds FROM daily_targets WHERE user_id = ? ORDER BY category_id",
      [userId],
    );
    return rows.map((row) => ({ categoryId: row.category_id, seconds: row.seconds }));
  }

  /** Two statements whatever the number of targets. */
  async replaceDailyTargets(userId: UserId, targets: readonly DailyTarget[]): Promise<void> {
    await this.db.change("DELETE FROM daily_targets WHERE user_id = ?", [userId]);
    if (targets.length === 0) return;
    await this.db.change(
      `INSERT INTO daily_targets (user_id, category_id, seconds) VALUES ${targets.map(() => "(?, ?, ?)").join(", ")}`,
      targets.flatMap((target) => [userId, target.categoryId, target.seconds]),
    );
  }
}
