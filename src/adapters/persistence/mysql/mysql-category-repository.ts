import type { RowDataPacket } from "mysql2/promise";
import type { Category, CategoryId } from "../../../domain/category.js";
import { CategoryNameTaken, type CategoryRepository } from "../../../application/ports/category-repository.js";
import type { CategoryNames } from "./category-names.js";
import type { SqlRunner } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";

interface CategoryRow extends RowDataPacket {
  id: number;
  name: string | null;
}

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name ?? "" };
}

/** The seed's `category` table; names compare by the column's utf8mb4_unicode_ci collation. */
export class MySqlCategoryRepository implements CategoryRepository {
  constructor(
    private readonly db: SqlRunner,
    private readonly names: CategoryNames,
  ) {}

  async add(name: string): Promise<Category> {
    try {
      const result = await this.db.change("INSERT INTO category (name) VALUES (?)", [name]);
      return this.names.remember({ id: result.insertId, name });
    } catch (error) {
      if (isDuplicateKey(error)) throw new CategoryNameTaken(name);
      throw error;
    }
  }

  async findById(id: CategoryId): Promise<Category | null> {
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category WHERE id = ?", [id]);
    return rows[0] ? this.names.remember(toCategory(rows[0])) : null;
  }

  async findByName(name: string): Promise<Category | null> {
    const rows = await this.db.select<CategoryRow>(
      "SELECT id, name FROM category WHERE name = ? ORDER BY id LIMIT 1",
      [name.trim()],
    );
    return rows[0] ? this.names.remember(toCategory(rows[0])) : null;
  }

  async list(): Promise<Category[]> {
    const rows = await this.db.select<CategoryRow>("SELECT id, name FROM category ORDER BY name, id");
    return rows.map(toCategory);
  }
}
