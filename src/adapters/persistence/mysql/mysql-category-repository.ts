import type { RowDataPacket } from "mysql2/promise";
import type DataLoader from "dataloader";
import type { Category, CategoryId } from "../../../domain/category.js";
import { CategoryNameTaken, type CategoryRepository } from "../../../application/ports/category-repository.js";
import { coalescedReads } from "./coalesced-reads.js";
import type { KnownCategories } from "./known-categories.js";
import type { SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";

interface CategoryRow extends RowDataPacket {
  id: number;
  name: string | null;
}

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name ?? "" };
}

/**
 * The seed's `category` table; names compare by the column's collation. On the pool, the list
 * reads of one event-loop turn share one statement (see coalescedReads).
 */
export class MySqlCategoryRepository implements CategoryRepository {
  private readonly lists: DataLoader<"all", readonly Category[]> | null;

  constructor(
    private readonly db: SqlRunner,
    private readonly known: KnownCategories,
    options: { readonly coalesce: boolean } = { coalesce: false },
  ) {
    this.lists = options.coalesce
      ? coalescedReads(async (keys) => {
          const list = await this.readList();
          return keys.map(() => list);
        })
      : null;
  }

  async add(name: string): Promise<Category> {
    try {
      const result = await this.db.change("INSERT INTO category (name) VALUES (?)", [name]);
      // Not remembered as the answer to its name: a transaction that adds may still roll back.
      return { id: result.insertId, name };
    } catch (error) {
      if (isDuplicateKey(error)) throw new CategoryNameTaken(name);
      throw error;
    }
  }

  async findById(id: CategoryId): Promise<Category | null> {
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category WHERE id = ?", [id]);
    return rows[0] ? this.known.remember(toCategory(rows[0])) : null;
  }

  async findByName(name: string): Promise<Category | null> {
    const asked = name.trim();
    const known = this.known.lookedUp(asked);
    if (known) return known;
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category WHERE name = ? ORDER BY id LIMIT 1", [
      asked,
    ]);
    return rows[0] ? this.known.found(asked, toCategory(rows[0])) : null;
  }

  async list(): Promise<Category[]> {
    // The coalesced list is shared by every caller of the turn: each gets a copy of its own.
    return this.lists ? [...(await this.lists.load("all"))] : this.readList();
  }

  private async readList(): Promise<Category[]> {
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category ORDER BY name, id");
    return rows.map(toCategory);
  }
}
