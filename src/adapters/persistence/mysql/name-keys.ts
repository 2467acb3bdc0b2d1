import { createHash } from "node:crypto";
import { nameKey, sortByName } from "../../../domain/names.js";

/**
 * The `name_key` columns of `users` and `category`: what a name is compared by, as bytes.
 *
 * Every store compares names by the domain's nameKey (see names.ts). MySQL keeps it in a binary
 * column with a UNIQUE index, not in a `utf8mb4_bin` one: that collation ignores trailing spaces
 * on MySQL and MariaDB alike (PAD SPACE), and a key can end in one ("x´" has the key "x "), so two
 * different keys would be one there. A binary string compares every byte.
 *
 * The most a UNIQUE index of InnoDB (DYNAMIC rows) holds: 3,072 bytes.
 */
export const NAME_KEY_BYTES = 3072;

/** The column's definition, as 0006 adds it and as the repositories expect it. */
export const NAME_KEY_TYPE = `VARBINARY(${NAME_KEY_BYTES})`;

/**
 * A project's key shares its unique index with the client's id (4 bytes), so it holds at most
 * this many bytes, shortened the same way as every other key.
 */
export const PROJECT_NAME_KEY_BYTES = NAME_KEY_BYTES - 8;
export const PROJECT_NAME_KEY_TYPE = `VARBINARY(${PROJECT_NAME_KEY_BYTES})`;

/** "#" and a SHA-256 in hex. */
const DIGEST_BYTES = 65;

/** Never the first byte of UTF-8 text: marks the key of a row that has no name. */
const NO_NAME = 0xff;

/**
 * What `name_key` holds for `name`: its nameKey in UTF-8. A key of NAME_KEY_BYTES bytes or more
 * (NFKD makes up to 18 characters of one: U+FDFA) is held as its first bytes, "#" and the
 * SHA-256 of the whole key, exactly NAME_KEY_BYTES long; since every key that long is held that
 * way, two names hold the same bytes exactly when they have the same key.
 */
export function storedNameKey(name: string, bytes: number = NAME_KEY_BYTES): Buffer {
  const key = Buffer.from(nameKey(name), "utf8");
  if (key.length < bytes) return key;
  const digest = createHash("sha256").update(key).digest("hex");
  return Buffer.concat([key.subarray(0, bytes - DIGEST_BYTES), Buffer.from(`#${digest}`, "latin1")]);
}

/**
 * The key of a row whose name is NULL (tables made from the seed's README allow that): 0xFF and
 * the row's id, which is no name's key, so such a row equals no other and is never found by
 * name, as with the NULL before.
 */
export function noNameKey(id: number): Buffer {
  return Buffer.concat([Buffer.of(NO_NAME), Buffer.from(String(id), "latin1")]);
}

/** What `name_key` holds for a row as it is: its name's key, or for a NULL name, noNameKey. */
export function storedNameKeyOfRow(id: number, name: string | null): Buffer {
  return name === null ? noNameKey(id) : storedNameKey(name);
}

/** The key to order a row by: the stored one when it is the key itself, else computed again. */
function orderKey(name: string, stored: Buffer, bytes: number): string {
  if (stored.length >= bytes || stored[0] === NO_NAME) return nameKey(name);
  return stored.toString("utf8");
}

/**
 * `items` in the order every store lists names (the domain's sortByName: by key, then by the
 * name's text), with the stored keys. The server's order of binary keys is that of code points;
 * JavaScript compares UTF-16 units, which disagree past U+FFFF (an emoji before U+E000 here, after
 * it there): the rows arrive almost sorted, and the domain has the last word.
 */
export function sortByStoredKey<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  storedKeyOf: (item: T) => Buffer,
  bytes: number = NAME_KEY_BYTES,
): T[] {
  return sortByName(items, nameOf, (item) => orderKey(nameOf(item), storedKeyOf(item), bytes));
}
