import type { DailyTarget } from "../../../domain/preferences.js";
import type { UserId } from "../../../domain/user.js";
import type { PreferenceRepository } from "../../../application/ports/preference-repository.js";
import type { SqlAccess } from "./sqlite-database.js";

const TARGETS = "SELECT category_id, seconds FROM daily_targets WHERE user_id = ? ORDER BY category_id";
const CLEAR = "DELETE FROM daily_targets WHERE user_id = ?";
const ADD = `
  INSERT INTO daily_targets (user_id, category_id, seconds)
  SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`;

export class SqlitePreferenceRepository implements PreferenceRepository {
  constructor(private readonly sql: SqlAccess) {}

  dailyTargets(userId: UserId): Promise<DailyTarget[]> {
    return this.sql.read((c) =>
      c
        .statement<{ category_id: number; seconds: number }>(TARGETS)
        .all(userId)
        .map((row) => ({ categoryId: row.category_id, seconds: row.seconds })),
    );
  }

  async replaceDailyTargets(userId: UserId, targets: readonly DailyTarget[]): Promise<void> {
    await this.sql.write((c) => {
      c.statement(CLEAR).run(userId);
      if (targets.length > 0) c.statement(ADD).run(userId, JSON.stringify(targets.map((t) => [t.categoryId, t.seconds])));
    });
  }
}
