import type { Tag } from "../../domain/tag.js";

export interface TagRepository {
  /**
   * The tags of these names, each created if it does not exist yet, spelled as first written
   * (race: two units of work creating one name at once make one tag); in no promised order.
   */
  ensure(names: readonly string[]): Promise<Tag[]>;
  /** The tag of each name (by the name rule), in the names' order; null where none exists. */
  findByNames(names: readonly string[]): Promise<(Tag | null)[]>;
  /** The tag of this name (by the name rule), or null. */
  findByName(name: string): Promise<Tag | null>;
  /** Every tag, sorted by name. */
  list(): Promise<Tag[]>;
}
