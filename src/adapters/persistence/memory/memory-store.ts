import type { Category, CategoryId } from "../../../domain/category.js";
import { UsernameTaken } from "../../../domain/errors.js";
import { nameKey, sortByName } from "../../../domain/names.js";
import type { EntryId, NewTimeEntry, TimeEntry } from "../../../domain/time-entry.js";
import { overlaps, type TimeRange } from "../../../domain/time-range.js";
import type { User, UserId } from "../../../domain/user.js";
import { CategoryNameTaken, type CategoryRepository } from "../../../application/ports/category-repository.js";
import type { NewSession, SessionRepository } from "../../../application/ports/session-repository.js";
import type { Store } from "../../../application/ports/store.js";
import type {
  EntryChanges,
  EntryFilter,
  EntryPageQuery,
  EntryPosition,
  TimeEntryRepository,
} from "../../../application/ports/time-entry-repository.js";
import type { Repositories, Transactor } from "../../../application/ports/transactor.js";
import type { NewUser, UserPageQuery, UserRepository } from "../../../application/ports/user-repository.js";

interface EntryRow extends NewTimeEntry {
  readonly id: EntryId;
}

/** Everything the memory store holds; one instance is one database. */
class MemoryData {
  readonly users = new Map<UserId, User>();
  readonly userIdsByKey = new Map<string, UserId>();
  readonly categories = new Map<CategoryId, Category>();
  readonly categoryIdsByKey = new Map<string, CategoryId>();
  readonly entries = new Map<EntryId, EntryRow>();
  /** Each user's entries ordered by (start, id), for keyset pages without a full scan. */
  readonly entriesByUser = new Map<UserId, EntryRow[]>();
  readonly sessions = new Map<string, NewSession>();
  nextUserId = 1;
  nextCategoryId = 1;
  nextEntryId = 1;
}

function comparePosition(a: EntryPosition, b: EntryPosition): number {
  return a.start.getTime() - b.start.getTime() || a.id - b.id;
}

/** Index of the first row strictly after `position`. */
function upperBound(rows: readonly EntryRow[], position: EntryPosition): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePosition(rows[mid] as EntryRow, position) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly data: MemoryData) {}

  async add(user: NewUser): Promise<User> {
    const key = nameKey(user.username);
    if (this.data.userIdsByKey.has(key)) throw new UsernameTaken(user.username);
    const stored: User = { id: this.data.nextUserId++, ...user };
    this.data.users.set(stored.id, stored);
    this.data.userIdsByKey.set(key, stored.id);
    return stored;
  }

  async findById(id: UserId): Promise<User | null> {
    return this.data.users.get(id) ?? null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const id = this.data.userIdsByKey.get(nameKey(username));
    return id === undefined ? null : (this.data.users.get(id) ?? null);
  }

  async updatePasswordHash(id: UserId, passwordHash: string): Promise<void> {
    const user = this.data.users.get(id);
    if (user) this.data.users.set(id, { ...user, passwordHash });
  }

  async list(query: UserPageQuery): Promise<User[]> {
    const after = query.afterId ?? 0;
    return [...this.data.users.values()]
      .filter((user) => user.id > after)
      .sort((a, b) => a.id - b.id)
      .slice(0, query.limit);
  }
}

export class InMemoryCategoryRepository implements CategoryRepository {
  constructor(private readonly data: MemoryData) {}

  async add(name: string): Promise<Category> {
    const key = nameKey(name);
    if (this.data.categoryIdsByKey.has(key)) throw new CategoryNameTaken(name);
    const category: Category = { id: this.data.nextCategoryId++, name };
    this.data.categories.set(category.id, category);
    this.data.categoryIdsByKey.set(key, category.id);
    return category;
  }

  async findById(id: CategoryId): Promise<Category | null> {
    return this.data.categories.get(id) ?? null;
  }

  async findByName(name: string): Promise<Category | null> {
    const id = this.data.categoryIdsByKey.get(nameKey(name));
    return id === undefined ? null : (this.data.categories.get(id) ?? null);
  }

  async list(): Promise<Category[]> {
    return sortByName([...this.data.categories.values()], (category) => category.name);
  }
}

export class InMemoryTimeEntryRepository implements TimeEntryRepository {
  constructor(private readonly data: MemoryData) {}

  async add(entry: NewTimeEntry): Promise<TimeEntry> {
    const row: EntryRow = { ...entry, id: this.data.nextEntryId++ };
    this.data.entries.set(row.id, row);
    this.insertSorted(row);
    return this.toEntry(row);
  }

  async findById(id: EntryId): Promise<TimeEntry | null> {
    const row = this.data.entries.get(id);
    return row ? this.toEntry(row) : null;
  }

  async findOverlapping(userId: UserId, range: TimeRange, excludeId: EntryId | null): Promise<TimeEntry[]> {
    return this.rowsOf(userId)
      .filter((row) => row.id !== excludeId && overlaps(row, range))
      .map((row) => this.toEntry(row));
  }

  async findRunning(userId: UserId): Promise<TimeEntry | null> {
    const row = this.rowsOf(userId).find((candidate) => candidate.end === null);
    return row ? this.toEntry(row) : null;
  }

  async update(id: EntryId, changes: EntryChanges): Promise<TimeEntry | null> {
    const row = this.data.entries.get(id);
    if (!row) return null;
    this.removeSorted(row);
    const next: EntryRow = { ...row, ...changes };
    this.data.entries.set(id, next);
    this.insertSorted(next);
    return this.toEntry(next);
  }

  async remove(id: EntryId): Promise<boolean> {
    const row = this.data.entries.get(id);
    if (!row) return false;
    this.data.entries.delete(id);
    this.removeSorted(row);
    return true;
  }

  async listByUser(userId: UserId, query: EntryPageQuery): Promise<TimeEntry[]> {
    const rows = this.rowsOf(userId);
    const page: TimeEntry[] = [];
    for (let i = query.after ? upperBound(rows, query.after) : 0; i < rows.length; i++) {
      const row = rows[i] as EntryRow;
      if (query.to && row.start.getTime() >= query.to.getTime()) break;
      if (!matches(row, query)) continue;
      page.push(this.toEntry(row));
      if (page.length >= query.limit) break;
    }
    return page;
  }

  async *streamByUser(userId: UserId, filter: EntryFilter): AsyncIterable<TimeEntry> {
    let after: EntryPosition | null = null;
    for (;;) {
      const page = await this.listByUser(userId, { ...filter, after, limit: 500 });
      yield* page;
      const last = page.at(-1);
      if (page.length < 500 || !last) return;
      after = { start: last.start, id: last.id };
    }
  }

  private rowsOf(userId: UserId): EntryRow[] {
    return this.data.entriesByUser.get(userId) ?? [];
  }

  private insertSorted(row: EntryRow): void {
    let rows = this.data.entriesByUser.get(row.userId);
    if (!rows) {
      rows = [];
      this.data.entriesByUser.set(row.userId, rows);
    }
    rows.splice(upperBound(rows, row), 0, row);
  }

  private removeSorted(row: EntryRow): void {
    const rows = this.rowsOf(row.userId);
    const index = rows.findIndex((candidate) => candidate.id === row.id);
    if (index >= 0) rows.splice(index, 1);
  }

  private toEntry(row: EntryRow): TimeEntry {
    const category = this.data.categories.get(row.categoryId);
    return { ...row, categoryName: category ? category.name : "" };
  }
}

function matches(row: EntryRow, filter: EntryFilter): boolean {
  if (filter.categoryId !== null && row.categoryId !== filter.categoryId) return false;
  if (filter.from && row.end !== null && row.end.getTime() <= filter.from.getTime()) return false;
  if (filter.to && row.start.getTime() >= filter.to.getTime()) return false;
  return true;
}

export class InMemorySessionRepository implements SessionRepository {
  constructor(private readonly data: MemoryData) {}

  async add(session: NewSession): Promise<void> {
    this.data.sessions.set(session.tokenHash, session);
  }

  async findUser(tokenHash: string, now: Date): Promise<User | null> {
    const session = this.data.sessions.get(tokenHash);
    if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
    return this.data.users.get(session.userId) ?? null;
  }

  async remove(tokenHash: string): Promise<boolean> {
    return this.data.sessions.delete(tokenHash);
  }

  async removeExpired(now: Date): Promise<number> {
    let removed = 0;
    for (const [hash, session] of this.data.sessions) {
      if (session.expiresAt.getTime() <= now.getTime()) {
        this.data.sessions.delete(hash);
        removed++;
      }
    }
    return removed;
  }
}

/**
 * A per-user mutex: work for one user runs one at a time, so check-then-write is atomic.
 * Memory has no rollback; use cases check every rule before their one write.
 */
export class InMemoryTransactor implements Transactor {
  private readonly tails = new Map<UserId, Promise<unknown>>();

  constructor(private readonly repos: Repositories) {}

  async run<T>(userId: UserId, work: (repos: Repositories) => Promise<T>): Promise<T> {
    const previous = this.tails.get(userId) ?? Promise.resolve();
    const result = previous.then(() => work(this.repos));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(userId, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    }
  }
}

/** The dependency-free store: for tests and STORAGE=memory. Nothing outlives the process. */
export class MemoryStore implements Store {
  readonly users: InMemoryUserRepository;
  readonly categories: InMemoryCategoryRepository;
  readonly entries: InMemoryTimeEntryRepository;
  readonly sessions: InMemorySessionRepository;
  readonly transactor: InMemoryTransactor;
  readonly description = "memory (nothing is kept after the process stops)";

  constructor() {
    const data = new MemoryData();
    this.users = new InMemoryUserRepository(data);
    this.categories = new InMemoryCategoryRepository(data);
    this.entries = new InMemoryTimeEntryRepository(data);
    this.sessions = new InMemorySessionRepository(data);
    this.transactor = new InMemoryTransactor(this);
  }

  async migrate(): Promise<void> {}

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
