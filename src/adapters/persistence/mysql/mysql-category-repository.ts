import type { RowDataPacket } from "mysql2/promise";
import type DataLoader from "dataloader";
import type { Category, CategoryId } from "../../../domain/category.js";
import { CategoryNameTaken, type CategoryRepository } from "../../../application/ports/category-repository.js";
import { coalescedReads, inList } from "./coalesced-reads.js";
import type { SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";
import { sortByStoredKey, storedNameKey } from "./name-keys.js";

interface CategoryRow extends RowDataPacket {
  id: number;
  name: string | null;
}

interface KeyedCategoryRow extends CategoryRow {
  name_key: Buffer;
}

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name ?? "" };
}

export interface CategoryRepositoryOptions {
  /** On the pool: the reads of one event-loop turn share statements (see coalescedReads). */
  readonly coalesce: boolean;
}

/**
 * The seed's `category` table; one category per name, compared by the UNIQUE binary `name_key`
 * (see name-keys.ts). On the pool, the list reads of one event-loop turn share one statement, and
 * so do its lookups by name. Nothing is remembered from one turn to the next.
 */
export class MySqlCategoryRepository implements CategoryRepository {
  private readonly lists: DataLoader<"all", readonly Category[]> | null;
  /** Keyed by the stored key in hex, so that names with one key share a lookup. */
  private readonly byKey: DataLoader<string, Category | null> | null;

  constructor(
    private readonly db: SqlRunner,
    options: CategoryRepositoryOptions = { coalesce: false },
  ) {
    this.lists = options.coalesce
      ? coalescedReads(async (keys) => {
          const list = await this.readList();
          return keys.map(() => list);
        })
      : null;
    this.byKey = options.coalesce ? coalescedReads((keys) => this.readByKeys(keys)) : null;
  }

  async add(name: string): Promise<Category> {
    try {
      const result = await this.db.change("INSERT INTO category (name, name_key) VALUES (?, ?)", [name, storedNameKey(name)]);
      return { id: result.insertId, name };
    } catch (error) {
      if (isDuplicateKey(error)) throw new CategoryNameTaken(name);
      throw error;
    }
  }

  async findById(id: CategoryId): Promise<Category | null> {
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category WHERE id = ?", [id]);
    return rows[0] ? toCategory(rows[0]) : null;
  }

  async findByName(name: string): Promise<Category | null> {
    const key = storedNameKey(name);
    if (this.byKey) return this.byKey.load(key.toString("hex"));
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category WHERE name_key = ?", [key]);
    return rows[0] ? toCategory(rows[0]) : null;
  }

  async list(): Promise<Category[]> {
    // The coalesced list is shared by every caller of the turn: each gets a copy of its own.
    return this.lists ? [...(await this.lists.load("all"))] : this.readList();
  }

  private async readByKeys(hexKeys: readonly string[]): Promise<(Category | null)[]> {
    const { placeholders, params } = inList(hexKeys);
    const rows = await this.db.select<KeyedCategoryRow>(
      `SELECT id, name, name_key FROM category WHERE name_key IN (${placeholders})`,
      params.map((hex) => Buffer.from(hex, "hex")),
    );
    const found = new Map(rows.map((row) => [row.name_key.toString("hex"), toCategory(row)]));
    return hexKeys.map((hex) => found.get(hex) ?? null);
  }

  private async readList(): Promise<Category[]> {
    // In the keys' binary order, which is almost the domain's: the sort has little left to do.
    const rows = await this.db.select<KeyedCategoryRow>("SELECT id, name, name_key FROM category ORDER BY name_key");
    return sortByStoredKey(rows, (row) => row.name ?? "", (row) => row.name_key).map(toCategory);
  }
}
