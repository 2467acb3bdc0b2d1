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
   * Tags are never deleted, so the common case (every name exists) is one plain read that locks
   * nothing: concurrent entries with the same tags do not wait for each other. Only the names not
   * found are inserted (a taken key keeps its row and first spelling), in key order so that two
   * units of work wait for each other rather than deadlock, and read again with a locking read,
   * which sees a row another transaction committed a moment ago.
   */
  async ensure(names: readonly string[]): Promise<Tag[]> {
    if (names.length === 0) return [];
    const keyed = names.map((name) => ({ name, key: storedNameKey(name) })).sort((a, b) => Buffer.compare(a.key, b.key));
    const found = await this.byKeys(keyed.map(({ key }) => key), "");
    const missing = keyed.filter(({ key }) => !found.has(key.toString("hex")));
    if (missing.length > 0) {
      await this.db.change(
        `INSERT INTO tags (name, name_key) VALUES ${missing.map(() => "(?, ?)").join(", ")} ON DUPLICATE KEY UPDATE id = id`,
        missing.flatMap(({ name, key }) => [name, key]),
      );
      const made = await this.byKeys(missing.map(({ key }) => key), " LOCK IN SHARE MODE");
      for (const [hex, row] of made) found.set(hex, row);
    }
    return keyed.map(({ name, key }) => {
      const row = found.get(key.toString("hex"));
      if (!row) throw new Error(`The tag '${name}' just written cannot be read back`);
      return { id: row.id, name: row.name };
    });
  }

  /** The tags of these stored keys, by the key in hex. */
  private async byKeys(keys: readonly Buffer[], lock: "" | " LOCK IN SHARE MODE"): Promise<Map<string, TagRow>> {
    const { placeholders, params } = inList(keys);
    const rows = await this.db.select<TagRow>(`SELECT id, name, name_key FROM tags WHERE name_key IN (${placeholders})${lock}`, params);
    return new Map(rows.map((row) => [row.name_key.toString("hex"), row]));
  }

  async findByNames(names: readonly string[]): Promise<(Tag | null)[]> {
    if (names.length === 0) return [];
    const keys = names.map((name) => storedNameKey(name));
    const found = await this.byKeys(keys, "");
    return keys.map((key) => {
      const row = found.get(key.toString("hex"));
      return row ? { id: row.id, name: row.name } : null;
    });
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
