import { nameKey, sortByName } from "../../../domain/names.js";
import type { Tag } from "../../../domain/tag.js";
import type { TagRepository } from "../../../application/ports/tag-repository.js";
import type { InstanceSettings, SettingsRepository } from "../../../application/ports/settings-repository.js";
import type { Connection, SqlAccess } from "./sqlite-database.js";
import { fromNullableEpochSeconds, toEpochSeconds } from "./sqlite-values.js";

interface TagRow {
  readonly id: number;
  readonly name: string;
  readonly name_key: string;
}

// A name already taken (by key) keeps its first spelling: the insert is skipped, the row read.
const INSERT = "INSERT INTO tags (name, name_key) VALUES (?, ?) ON CONFLICT (name_key) DO NOTHING";
const BY_KEY = "SELECT id, name, name_key FROM tags WHERE name_key = ?";
const BY_KEYS = "SELECT id, name, name_key FROM tags WHERE name_key IN (SELECT value FROM json_each(?))";
const ALL = "SELECT id, name, name_key FROM tags";

/** The stored tags of these name keys, by key (a key with no tag is absent). */
function rowsByKey(c: Connection, keys: readonly string[]): Map<string, TagRow> {
  return new Map(c.statement<TagRow>(BY_KEYS).all(JSON.stringify(keys)).map((row) => [row.name_key, row]));
}

export class SqliteTagRepository implements TagRepository {
  constructor(private readonly sql: SqlAccess) {}

  /**
   * The tags of the names, each made on first use. Tags are never deleted, so when one read
   * finds them all (on most writes) nothing is written; otherwise only the missing ones are
   * inserted, and all are read again in that write.
   */
  async ensure(names: readonly string[]): Promise<Tag[]> {
    if (names.length === 0) return [];
    const keys = names.map(nameKey);
    const byKey = (c: Connection) => rowsByKey(c, keys);
    let found = await this.sql.read(byKey);
    if (keys.some((key) => !found.has(key))) {
      found = await this.sql.write((c) => {
        names.forEach((name, i) => {
          if (!found.has(keys[i] as string)) c.statement(INSERT).run(name, keys[i]);
        });
        return byKey(c);
      });
    }
    return keys.map((key, i) => {
      const row = found.get(key);
      if (!row) throw new Error(`The tag '${names[i]}' just written cannot be read back`);
      return { id: row.id, name: row.name };
    });
  }

  findByNames(names: readonly string[]): Promise<(Tag | null)[]> {
    if (names.length === 0) return Promise.resolve([]);
    const keys = names.map(nameKey);
    return this.sql.read((c) => {
      const found = rowsByKey(c, keys);
      return keys.map((key) => {
        const row = found.get(key);
        return row ? { id: row.id, name: row.name } : null;
      });
    });
  }

  findByName(name: string): Promise<Tag | null> {
    return this.sql.read((c) => {
      const row = c.statement<TagRow>(BY_KEY).get(nameKey(name));
      return row ? { id: row.id, name: row.name } : null;
    });
  }

  list(): Promise<Tag[]> {
    return this.sql.read((c) =>
      sortByName(c.statement<TagRow>(ALL).all(), (row) => row.name, (row) => row.name_key).map((row) => ({
        id: row.id,
        name: row.name,
      })),
    );
  }
}

export class SqliteSettingsRepository implements SettingsRepository {
  constructor(private readonly sql: SqlAccess) {}

  get(): Promise<InstanceSettings> {
    return this.sql.read((c) => {
      const row = c.statement<{ lock_before: number | null }>("SELECT lock_before FROM instance_settings WHERE id = 1").get();
      return { lockBefore: fromNullableEpochSeconds(row?.lock_before ?? null) };
    });
  }

  setLockBefore(lockBefore: Date | null): Promise<InstanceSettings> {
    return this.sql.write((c) => {
      c.statement("INSERT INTO instance_settings (id, lock_before) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET lock_before = excluded.lock_before").run(
        lockBefore === null ? null : toEpochSeconds(lockBefore),
      );
      return { lockBefore };
    });
  }
}
