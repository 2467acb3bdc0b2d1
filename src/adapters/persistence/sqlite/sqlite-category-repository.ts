import type { Category, CategoryId } from "../../../domain/category.js";
import { nameKey, sortByName } from "../../../domain/names.js";
import { CategoryNameTaken, type CategoryRepository } from "../../../application/ports/category-repository.js";
import { isUniqueViolation, type SqlAccess } from "./sqlite-database.js";

interface CategoryRow {
  readonly id: number;
  readonly name: string;
}

const INSERT = "INSERT INTO category (name, name_key) VALUES (?, ?) RETURNING id, name";
const BY_ID = "SELECT id, name FROM category WHERE id = ?";
const BY_NAME_KEY = "SELECT id, name FROM category WHERE name_key = ?";
const ALL = "SELECT id, name, name_key FROM category ORDER BY name_key, name";

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name };
}

/** Categories, shared by all users; one per name, compared by the UNIQUE `name_key`. */
export class SqliteCategoryRepository implements CategoryRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(name: string): Promise<Category> {
    return this.sql.write((c) => {
      try {
        const row = c.statement<CategoryRow>(INSERT).get(name, nameKey(name));
        if (!row) throw new Error("INSERT … RETURNING gave no row");
        return toCategory(row);
      } catch (error) {
        if (isUniqueViolation(error, "category.name_key")) throw new CategoryNameTaken(name);
        throw error;
      }
    });
  }

  findById(id: CategoryId): Promise<Category | null> {
    return this.sql.read((c) => {
      const row = c.statement<CategoryRow>(BY_ID).get(id);
      return row ? toCategory(row) : null;
    });
  }

  findByName(name: string): Promise<Category | null> {
    return this.sql.read((c) => {
      const row = c.statement<CategoryRow>(BY_NAME_KEY).get(nameKey(name));
      return row ? toCategory(row) : null;
    });
  }

  /**
   * SQLite compares the keys as UTF-8 bytes, JavaScript as UTF-16 units; they disagree only past
   * U+FFFF, but the list must be in exactly the order every store gives, so the domain's
   * comparison has the last word (on rows that arrive already almost sorted).
   */
  list(): Promise<Category[]> {
    return this.sql.read((c) =>
      sortByName(
        c.statement<CategoryRow & { name_key: string }>(ALL).all(),
        (row) => row.name,
        (row) => row.name_key,
      ).map(toCategory),
    );
  }
}
