import type { Connection } from "./sqlite-database.js";

/** One forward-only step of the schema. Never edit a released one: add the next. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Tables keep the seed's names and columns (users, category, time_entries). Instants are INTEGER
 * seconds since the epoch, UTC. Names carry a `name_key` (the domain's nameKey: Unicode NFKD,
 * combining marks dropped, case folded; every store compares names by it) with the UNIQUE index
 * on it, because SQLite's NOCASE folds ASCII letters only. STRICT tables refuse a value of
 * the wrong type instead of storing it.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "users, category, time_entries, sessions",
    sql: `
      CREATE TABLE users (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        username   TEXT    NOT NULL,
        name_key   TEXT    NOT NULL,
        pwd_hash   TEXT    NOT NULL,
        salt       TEXT    NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      CREATE UNIQUE INDEX users_name_key ON users (name_key);

      CREATE TABLE category (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL,
        name_key   TEXT    NOT NULL,
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      CREATE UNIQUE INDEX category_name_key ON category (name_key);

      CREATE TABLE time_entries (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        category_id INTEGER NOT NULL REFERENCES category (id) ON DELETE RESTRICT,
        start_time  INTEGER NOT NULL,
        end_time    INTEGER,
        note        TEXT,
        created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
        updated_at  INTEGER NOT NULL DEFAULT (unixepoch()),
        CHECK (end_time IS NULL OR end_time > start_time)
      ) STRICT;
      CREATE INDEX time_entries_user_start ON time_entries (user_id, start_time, id);
      CREATE INDEX time_entries_user_end ON time_entries (user_id, end_time, start_time);
      CREATE INDEX time_entries_category ON time_entries (category_id);

      CREATE TABLE sessions (
        token_hash TEXT    NOT NULL PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE INDEX sessions_user ON sessions (user_id);
    `,
  },
  {
    version: 2,
    name: "roles, active users, rates; invitations",
    sql: `
      ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));
      ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
      ALTER TABLE users ADD COLUMN hourly_rate_cents INTEGER CHECK (hourly_rate_cents >= 0);
      CREATE INDEX users_role_active ON users (role, active);

      CREATE TABLE invitations (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        code_hash  TEXT    NOT NULL,
        role       TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
        created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        used_by    INTEGER REFERENCES users (id) ON DELETE SET NULL
      ) STRICT;
      CREATE UNIQUE INDEX invitations_code_hash ON invitations (code_hash);
      CREATE INDEX invitations_expires ON invitations (expires_at);
    `,
  },
  {
    version: 3,
    name: "teams and their members",
    sql: `
      CREATE TABLE teams (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL,
        name_key   TEXT    NOT NULL,
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      CREATE UNIQUE INDEX teams_name_key ON teams (name_key);

      CREATE TABLE team_members (
        team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        is_lead INTEGER NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1)),
        PRIMARY KEY (team_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX team_members_user ON team_members (user_id, team_id);
    `,
  },
  {
    version: 4,
    name: "clients, projects, tags; billable entries with rates; instance settings",
    sql: `
      CREATE TABLE clients (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL,
        name_key   TEXT    NOT NULL,
        archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      CREATE UNIQUE INDEX clients_name_key ON clients (name_key);

      CREATE TABLE projects (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        name              TEXT    NOT NULL,
        name_key          TEXT    NOT NULL,
        client_id         INTEGER REFERENCES clients (id) ON DELETE RESTRICT,
        color             TEXT,
        billable          INTEGER NOT NULL DEFAULT 1 CHECK (billable IN (0, 1)),
        hourly_rate_cents INTEGER CHECK (hourly_rate_cents >= 0),
        archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        created_at        INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      -- One name per client, and one among the projects without a client.
      CREATE UNIQUE INDEX projects_client_name_key ON projects (ifnull(client_id, 0), name_key);
      CREATE INDEX projects_client ON projects (client_id);

      CREATE TABLE tags (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL,
        name_key   TEXT    NOT NULL,
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
      ) STRICT;
      CREATE UNIQUE INDEX tags_name_key ON tags (name_key);

      ALTER TABLE time_entries ADD COLUMN project_id INTEGER REFERENCES projects (id) ON DELETE RESTRICT;
      ALTER TABLE time_entries ADD COLUMN billable INTEGER NOT NULL DEFAULT 0 CHECK (billable IN (0, 1));
      ALTER TABLE time_entries ADD COLUMN hourly_rate_cents INTEGER CHECK (hourly_rate_cents >= 0);
      CREATE INDEX time_entries_project ON time_entries (project_id);

      CREATE TABLE entry_tags (
        entry_id INTEGER NOT NULL REFERENCES time_entries (id) ON DELETE CASCADE,
        tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE RESTRICT,
        PRIMARY KEY (entry_id, tag_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX entry_tags_tag ON entry_tags (tag_id, entry_id);

      CREATE TABLE instance_settings (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        lock_before INTEGER
      ) STRICT;
      INSERT INTO instance_settings (id, lock_before) VALUES (1, NULL);
    `,
  },
  {
    version: 5,
    name: "daily targets (a user preference)",
    sql: `
      CREATE TABLE daily_targets (
        user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        category_id INTEGER NOT NULL REFERENCES category (id) ON DELETE CASCADE,
        seconds     INTEGER NOT NULL CHECK (seconds BETWEEN 60 AND 86400),
        PRIMARY KEY (user_id, category_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: "API tokens",
    sql: `
      CREATE TABLE api_tokens (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash   TEXT    NOT NULL,
        user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name         TEXT    NOT NULL,
        scope        TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER,
        last_used_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
      CREATE INDEX api_tokens_user ON api_tokens (user_id);
    `,
  },
  {
    version: 7,
    name: "change feed for incremental sync; webhooks and their outbox",
    sql: `
      ALTER TABLE users ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN changes_purged_seq INTEGER NOT NULL DEFAULT 0;

      -- One row per entry a user has had: its latest change (a deletion is kept as a tombstone).
      CREATE TABLE entry_changes (
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        entry_id   INTEGER NOT NULL,
        seq        INTEGER NOT NULL,
        deleted    INTEGER NOT NULL CHECK (deleted IN (0, 1)),
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, entry_id)
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX entry_changes_user_seq ON entry_changes (user_id, seq);
      CREATE INDEX entry_changes_deleted ON entry_changes (deleted, changed_at);
      -- Entries from before the feed: each as a change, numbered by its id.
      INSERT INTO entry_changes (user_id, entry_id, seq, deleted, changed_at)
        SELECT user_id, id, id, 0, CAST(unixepoch() AS INTEGER) * 1000 FROM time_entries;
      UPDATE users SET change_seq = ifnull((SELECT max(id) FROM time_entries WHERE user_id = users.id), 0);

      CREATE TABLE webhooks (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        url         TEXT    NOT NULL,
        events_mask INTEGER NOT NULL,
        description TEXT,
        all_users   INTEGER NOT NULL DEFAULT 0 CHECK (all_users IN (0, 1)),
        active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        secret      TEXT    NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX webhooks_user ON webhooks (user_id);
      CREATE INDEX webhooks_all_users ON webhooks (all_users, active);

      -- The outbox: one row per event per webhook, written in the change's transaction. Times in ms.
      CREATE TABLE webhook_deliveries (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id       INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        type             TEXT    NOT NULL,
        username         TEXT    NOT NULL,
        payload          TEXT,
        status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        last_status_code INTEGER,
        last_error       TEXT,
        created_at       INTEGER NOT NULL,
        delivered_at     INTEGER
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
      CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
    `,
  },
  {
    version: 9,
    name: "accounts: public session ids, TOTP secrets and recovery codes",
    sql: `
      ALTER TABLE sessions ADD COLUMN public_id TEXT;
      UPDATE sessions SET public_id = lower(hex(randomblob(16))) WHERE public_id IS NULL;
      CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);

      CREATE TABLE user_totp (
        user_id    INTEGER NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret     TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        enabled_at INTEGER,
        last_step  INTEGER
      ) STRICT;

      CREATE TABLE totp_recovery_codes (
        user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT    NOT NULL,
        used_at   INTEGER,
        PRIMARY KEY (user_id, code_hash)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: "single sign-on links",
    sql: `
      CREATE TABLE identity_links (
        issuer     TEXT    NOT NULL,
        subject    TEXT    NOT NULL,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (issuer, subject)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX identity_links_user ON identity_links (user_id);
    `,
  },
  {
    version: 11,
    name: "attempt counters (login and registration limits shared by every process)",
    sql: `
      CREATE TABLE attempt_counters (
        bucket       TEXT    NOT NULL PRIMARY KEY,
        hits         INTEGER NOT NULL,
        resets_at_ms INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX attempt_counters_resets ON attempt_counters (resets_at_ms);
    `,
  },
  {
    version: 12,
    name: "the (user, start, id) index covers what a report reads",
    // Widened with every column a report reads: a year of a team's entries is read from the
    // index alone, not looked up row by row in the table. Same leading columns, same uses.
    sql: `
      DROP INDEX time_entries_user_start;
      CREATE INDEX time_entries_user_start
        ON time_entries (user_id, start_time, id, end_time, category_id, project_id, billable, hourly_rate_cents);
    `,
  },
  {
    version: 13,
    name: "entry tags are found by entry only",
    // Every query reaches entry_tags by entry (its primary key) and tags are never deleted, so
    // the (tag, entry) index was only written: up to one more page per tag of every tagged write.
    sql: `
      DROP INDEX IF EXISTS entry_tags_tag;
    `,
  },
  {
    version: 14,
    name: "a delivery enters an index only once it has been tried",
    // The (status, next_attempt_at) index took an entry in every outbox row, so in every entry
    // write with a webhook: one more page in each such commit. New deliveries (pending, never
    // tried) are instead found past a cursor in id order, which the worker's claim moves on; only
    // deliveries tried at least once and still pending (leased or waiting for a retry) are
    // indexed, by the claim and record transactions of the worker. The cursor starts below the
    // oldest delivery never tried, so none is skipped.
    sql: `
      DROP INDEX webhook_deliveries_due;
      CREATE INDEX webhook_deliveries_retry ON webhook_deliveries (next_attempt_at, id)
        WHERE status = 'pending' AND attempts > 0;
      CREATE TABLE webhook_claim_cursor (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        fresh_after INTEGER NOT NULL
      ) STRICT;
      INSERT INTO webhook_claim_cursor (id, fresh_after)
        SELECT 1, coalesce(
          (SELECT min(id) - 1 FROM webhook_deliveries WHERE status = 'pending' AND attempts = 0),
          (SELECT max(id) FROM webhook_deliveries),
          0);
    `,
  },
  {
    version: 15,
    name: "only finished deliveries are indexed: by webhook for the delivery log, by last attempt for its purge",
    // The (webhook_id, id) index took an entry in every outbox row: in the commit of every entry
    // write with a webhook, a leaf of its own (one per webhook) and about 20 µs. Both indexes are
    // now of finished deliveries only (a finished delivery's next_attempt_at is its last attempt),
    // written by the worker's record a round at a time, and by the purge. The delivery log finds
    // the pending ones as the claim does (past the cursor, and in the retry index). Deleting a
    // webhook now reads the whole outbox for its deliveries (the foreign key's cascade has no
    // index to use): that outbox is at most 30 days of finished deliveries and the pending ones.
    sql: `
      DROP INDEX webhook_deliveries_webhook;
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id)
        WHERE status <> 'pending';
      CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (next_attempt_at)
        WHERE status <> 'pending';
    `,
  },
];

/**
 * Applies every migration not yet recorded, and records it; runs inside the caller's
 * transaction (BEGIN IMMEDIATE), so two processes starting at once cannot both apply one.
 * Returns the migrations applied now (none when the schema is up to date).
 */
export function applyMigrations(connection: Connection, migrations: readonly Migration[]): Migration[] {
  connection.driver.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT
  `);
  const applied = new Set(
    connection.statement<{ version: number }>("SELECT version FROM schema_migrations").all().map((row) => row.version),
  );
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new Error(
      `The SQLite database has schema version ${newest}, newer than this build knows (${known}); ` +
        "run a build at least as new as the one that migrated it",
    );
  }
  const pending = migrations.filter((migration) => !applied.has(migration.version));
  const record = connection.statement(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())",
  );
  for (const migration of [...pending].sort((a, b) => a.version - b.version)) {
    connection.driver.exec(migration.sql);
    record.run(migration.version, migration.name);
  }
  return pending;
}
