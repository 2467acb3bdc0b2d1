import { ClientNameTaken } from "../../../domain/errors.js";
import { nameKey, sortByName } from "../../../domain/names.js";
import type { Client, ClientId } from "../../../domain/project.js";
import type { ClientRepository } from "../../../application/ports/project-repository.js";
import { isUniqueViolation, type Connection, type SqlAccess } from "./sqlite-database.js";

interface ClientRow {
  readonly id: number;
  readonly name: string;
  readonly name_key: string;
  readonly archived: number;
}

const COLUMNS = "id, name, name_key, archived";
const INSERT = `INSERT INTO clients (name, name_key) VALUES (?, ?) RETURNING ${COLUMNS}`;
const BY_ID = `SELECT ${COLUMNS} FROM clients WHERE id = ?`;
const ALL = `SELECT ${COLUMNS} FROM clients`;
const ACTIVE = `SELECT ${COLUMNS} FROM clients WHERE archived = 0`;
/** One statement for every combination of changes: a null parameter keeps the column as it is. */
const UPDATE = `
  UPDATE clients SET
    name = coalesce(@name, name),
    name_key = coalesce(@nameKey, name_key),
    archived = coalesce(@archived, archived)
  WHERE id = @id`;

function toClient(row: ClientRow): Client {
  return { id: row.id, name: row.name, archived: row.archived === 1 };
}

/** Runs a write that may give a second client the name of another: the unique index says so. */
function unlessNameTaken<T>(name: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error, "clients.name_key")) throw new ClientNameTaken(name);
    throw error;
  }
}

function byId(c: Connection, id: ClientId): Client | null {
  const row = c.statement<ClientRow>(BY_ID).get(id);
  return row ? toClient(row) : null;
}

/** Clients, one per name (compared by the UNIQUE `name_key`); archived ones stay, hidden from lists unless asked for. */
export class SqliteClientRepository implements ClientRepository {
  constructor(private readonly sql: SqlAccess) {}

  add(name: string): Promise<Client> {
    return this.sql.write((c) => {
      const row = unlessNameTaken(name, () => c.statement<ClientRow>(INSERT).get(name, nameKey(name)));
      if (!row) throw new Error("INSERT … RETURNING gave no row");
      return toClient(row);
    });
  }

  findById(id: ClientId): Promise<Client | null> {
    return this.sql.read((c) => byId(c, id));
  }

  /** In the domain's name order (SQLite's byte order of the keys differs past U+FFFF). */
  list(options: { readonly includeArchived: boolean }): Promise<Client[]> {
    return this.sql.read((c) => {
      const rows = c.statement<ClientRow>(options.includeArchived ? ALL : ACTIVE).all();
      return sortByName(rows, (row) => row.name, (row) => row.name_key).map(toClient);
    });
  }

  update(id: ClientId, changes: { readonly name?: string; readonly archived?: boolean }): Promise<Client | null> {
    return this.sql.write((c) => {
      const { name, archived } = changes;
      const params = {
        id,
        name: name ?? null,
        nameKey: name === undefined ? null : nameKey(name),
        archived: archived === undefined ? null : archived ? 1 : 0,
      };
      // Only a new name can collide; without one, the name in the error is never used.
      const changed = unlessNameTaken(name ?? "", () => c.statement(UPDATE).run(params).changes);
      return changed === 0 ? null : byId(c, id);
    });
  }
}
