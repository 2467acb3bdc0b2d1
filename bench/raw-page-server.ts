// The raw page ceiling: a bare node:http server that answers every request with the first page
// of one user's entries, read by the service's own page statement on a raw mysql2 pool and
// written with JSON.stringify in the shape of GET /entries/{username}. No framework, no
// authentication, no schema serializer, no domain objects, and the fastest way mysql2 measured
// here: the text protocol with DATETIMEs left as strings (no Date objects at all).
import { createServer } from "node:http";
import mysql, { type RowDataPacket } from "mysql2/promise";
import { encodeEntryCursor } from "../src/adapters/http/presenters.js";
import { entryPageStatement, type EntryRow } from "../src/adapters/persistence/mysql/mysql-time-entry-repository.js";
import { sortByName } from "../src/domain/names.js";
import { earnedCents } from "../src/domain/time-entry.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const userId = Number(env("PAGE_USER_ID"));
const username = env("PAGE_USERNAME");
const limit = Number(env("PAGE_LIMIT"));
const pool = mysql.createPool({
  host: env("DB_HOST"),
  port: Number(env("DB_PORT")),
  user: env("DB_USER"),
  password: process.env.DB_PASSWORD ?? "",
  database: env("DB_NAME"),
  connectionLimit: Number(env("DB_POOL_SIZE")),
  timezone: "Z",
  dateStrings: true,
  trace: false,
});
pool.on("connection", (connection) => {
  connection.query("SET time_zone = '+00:00'");
});

/** The page statement's row, its DATETIMEs as "YYYY-MM-DD HH:MM:SS" strings (UTC). */
type PageRow = RowDataPacket &
  Pick<EntryRow, "id" | "category_id" | "category_name" | "note" | "project_id" | "project_name" | "client_name" | "billable" | "hourly_rate_cents" | "tags"> & {
    start_time: string;
    end_time: string | null;
  };

function tagNames(value: PageRow["tags"]): string[] {
  if (value === null) return [];
  return sortByName(typeof value === "string" ? (JSON.parse(value) as string[]) : value, (name) => name);
}

const instant = (value: string): string => `${value.slice(0, 10)}T${value.slice(11, 19)}Z`;

/** Seconds since the epoch of "YYYY-MM-DD HH:MM:SS" (UTC), without a Date object. */
function seconds(value: string): number {
  const n = (from: number, to: number) => Number(value.slice(from, to));
  return Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19)) / 1000;
}

// The first page, one row more, as the service reads, to know whether a next page exists. The text
// protocol inlines the values, so LIMIT gets a number here where the service binds a string.
const page = entryPageStatement(userId, { from: null, to: null, categoryId: null, after: null, limit: limit + 1 });
if (page.params.length !== 2) throw new Error("the first page's statement should take a user and a limit");
const params = [userId, limit + 1];

async function body(): Promise<Buffer> {
  const [rows] = await pool.query<PageRow[]>(page.sql, params);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  // The service's own cursor encoding, so the page stays byte for byte the service's.
  const next =
    rows.length > limit && last ? encodeEntryCursor({ start: new Date(seconds(last.start_time) * 1000), id: last.id }) : null;
  const entries = shown.map((row) => {
    const duration = row.end_time === null ? null : seconds(row.end_time) - seconds(row.start_time);
    return {
      id: row.id,
      username,
      category: row.category_name ?? "",
      category_id: row.category_id,
      start_time: instant(row.start_time),
      end_time: row.end_time === null ? null : instant(row.end_time),
      duration_seconds: duration,
      note: row.note,
      project_id: row.project_id,
      project: row.project_name,
      client: row.client_name,
      tags: tagNames(row.tags),
      billable: row.billable === 1,
      hourly_rate_cents: row.hourly_rate_cents,
      amount_cents:
        row.billable === 1 && row.hourly_rate_cents !== null && duration !== null ? earnedCents(duration, row.hourly_rate_cents) : null,
    };
  });
  return Buffer.from(JSON.stringify({ username, entries, next_cursor: next }));
}

const server = createServer((_request, response) => {
  body().then(
    (payload) => {
      response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": payload.length });
      response.end(payload);
    },
    (error: unknown) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    },
  );
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");

const stop = () => {
  server.close(() => {
    pool.end().finally(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
