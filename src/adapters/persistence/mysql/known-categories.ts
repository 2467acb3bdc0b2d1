/**
 * Nothing. Categories were once remembered here between statements (their names by id, and the
 * answers to lookups by the exact name asked); names are now looked up by their stored key
 * through a unique index (name-keys.ts) and nothing is remembered. The type is left only because
 * mysql-transactor.ts still hands one to the repositories it builds, which ignore it.
 */
export type KnownCategories = undefined;
