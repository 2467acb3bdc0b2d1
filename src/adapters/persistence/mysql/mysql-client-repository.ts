import type { RowDataPacket } from "mysql2/promise";
import { ClientNameTaken } from "../../../domain/errors.js";
import type { Client, ClientId } from "../../../domain/project.js";
import type { ClientRepository } from "../../../application/ports/project-repository.js";
import type { SqlRunner, SqlValue } from "./mysql-database.js";
import { isDuplicateKey } from "./mysql-errors.js";
import { sortByStoredKey, storedNameKey } from "./name-keys.js";

interface ClientRow extends RowDataPacket {
  id: number;
  name: string;
  name_key: Buffer;
  archived: number;
}

const SELECT = "SELECT id, name, name_key, archived FROM clients";

function toClient(row: ClientRow): Client {
  return { id: row.id, name: row.name, archived: row.archived === 1 };
}

/** Clients, one per name (compared by the UNIQUE binary `name_key`, see name-keys.ts); archived ones stay. */
export class MySqlClientRepository implements ClientRepository {
  constructor(private readonly db: SqlRunner) {}

  async add(name: string): Promise<Client> {
    const result = await this.unlessNameTaken(name, () =>
      this.db.change("INSERT INTO clients (name, name_key) VALUES (?, ?)", [name, storedNameKey(name)]),
    );
    return { id: result.insertId, name, archived: false };
  }

  async findById(id: ClientId): Promise<Client | null> {
    const rows = await this.db.select<ClientRow>(`${SELECT} WHERE id = ?`, [id]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  /** In the keys' binary order, which is almost the domain's: the sort has little left to do. */
  async list(options: { readonly includeArchived: boolean }): Promise<Client[]> {
    const where = options.includeArchived ? "" : " WHERE archived = 0";
    const rows = await this.db.select<ClientRow>(`${SELECT}${where} ORDER BY name_key`);
    return sortByStoredKey(rows, (row) => row.name, (row) => row.name_key).map(toClient);
  }

  async update(id: ClientId, changes: { readonly name?: string; readonly archived?: boolean }): Promise<Client | null> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (changes.name !== undefined) {
      sets.push("name = ?", "name_key = ?");
      params.push(changes.name, storedNameKey(changes.name));
    }
    if (changes.archived !== undefined) {
      sets.push("archived = ?");
      params.push(changes.archived ? 1 : 0);
    }
    if (sets.length > 0) {
      // Only a new name can collide; without one, the name in the error is never used.
      await this.unlessNameTaken(changes.name ?? "", () =>
        this.db.change(`UPDATE clients SET ${sets.join(", ")} WHERE id = ?`, [...params, id]),
      );
    }
    return this.findById(id);
  }

  /** Runs a write that may give a second client the name of another: the unique index says so. */
  private async unlessNameTaken<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKey(error)) throw new ClientNameTaken(name);
      throw error;
    }
  }
}
