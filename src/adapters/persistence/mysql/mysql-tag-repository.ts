import type { RowDataPacket } from "mysql2/promise";
import type { Tag } from "../../../domain/tag.js";
import type { TagRepository } from "../../../application/ports/tag-repository.js";
import type { InstanceSettings, SettingsRepository } from "../../../application/ports/settings-repository.js";
import { inList } from "./coalesced-reads.js";
import { toSecond, type SqlRunner } from "./mysql-database.js";
import { sortByStoredKey, storedNameKey } from "./name-keys.js";

interface TagRow extends RowDataPacket {
  id: number;
  name: string;
  name_key: Buffer;
}

export class MySqlTagRepository implements TagRepository {
  constructor(private readonly db: SqlRunner) {}

  /**
   * One statement inserts the names not yet taken (a taken key keeps its row and first spelling),
   * in key order so that two units of work wait for each other rather than deadlock; a locking
   * read then sees every row, also one another transaction committed a moment ago.
   */
  async ensure(names: readonly string[]): Promise<Tag[]> {
    if (names.length === 0) return [];
    const keyed = names.map((name) => ({ name, key: storedNameKey(name) })).sort((a, b) => Buffer.compare(a.key, b.key));
    await this.db.change(
      `INSERT INTO tags (name, name_key) VALUES ${keyed.map(() => "(?, ?)").join(", ")} ON DUPLICATE KEY UPDATE id = id`,
      keyed.flatMap(({ name, key }) => [name, key]),
    );
    const { placeholders, params } = inList(keyed.map(({ key }) => key));
    const rows = await this.db.select<TagRow>(
      `SELECT id, name, name_key FROM tags WHERE name_key IN (${placeholders}) LOCK IN SHARE MODE`,
      params,
    );
    const byKey = new Map(rows.map((row) => [row.name_key.toString("hex"), row]));
    return keyed
      .map(({ name, key }) => {
        const row = byKey.get(key.toString("hex"));
        if (!row) throw new Error(`The tag '${name}' just written cannot be read back`);
        return row;
      })
      .sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name))
      .map((row) => ({ id: row.id, name: row.name }));
  }

  async findByName(name: string): Promise<Tag | null> {
    const rows = await this.db.select<TagRow>("SELECT id, name, name_key FROM tags WHERE name_key = ?", [storedNameKey(name)]);
    const row = rows[0];
    return row ? { id: row.id, name: row.name } : null;
  }

  async list(): Promise<Tag[]> {
    const rows = await this.db.select<TagRow>("SELECT id, name, name_key FROM tags");
    return sortByStoredKey(rows, (row) => row.name, (row) => row.name_key).map((row) => ({ id: row.id, name: row.name }));
  }
}

export class MySqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: SqlRunner) {}

  async get(): Promise<InstanceSettings> {
    const rows = await this.db.select<RowDataPacket & { lock_before: Date | null }>(
      "SELECT lock_before FROM instance_settings WHERE id = 1",
    );
    return { lockBefore: rows[0]?.lock_before ?? null };
  }

  async setLockBefore(lockBefore: Date | null): Promise<InstanceSettings> {
    const value = lockBefore === null ? null : toSecond(lockBefore);
    await this.db.change(
      "INSERT INTO instance_settings (id, lock_before) VALUES (1, ?) ON DUPLICATE KEY UPDATE lock_before = VALUES(lock_before)",
      [value],
    );
    return { lockBefore: value };
  }
}
