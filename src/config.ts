import { isIP } from "node:net";
import { REGISTRATION_POLICIES, type RegistrationPolicy } from "./application/register-user.js";

/**
 * Environment → typed, validated configuration. A bad value stops start-up with one line naming
 * the variable. Defaults follow the seed's README where the seed had the variable.
 */
export type StorageKind = "mysql" | "sqlite" | "memory";

export interface MySqlConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly poolSize: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly storage: StorageKind;
  readonly mysql: MySqlConfig;
  readonly sqlitePath: string;
  readonly logLevel: string;
  readonly sessionTtlSeconds: number;
  readonly rateLimit: {
    /** Registrations per client address per hour; 0 turns the limit off. */
    readonly registerPerHour: number;
    /** Failed logins per username per 15 minutes before 429; 0 turns it off. */
    readonly loginFailures: number;
  };
  readonly corsOrigins: readonly string[];
  /** Who may register: anyone (open), holders of an invitation code (invite), nobody (closed). */
  readonly registration: RegistrationPolicy;
  /** The ISO 4217 code shown with amounts (reports, settings); amounts themselves are integer cents. */
  readonly currency: string;
  /**
   * Addresses and CIDRs of the reverse proxies whose X-Forwarded-For is believed for the client
   * address (limits, logs); empty: nobody's, the peer address is the client's.
   */
  readonly trustProxy: readonly string[];
  /**
   * The address people open the web app at (default http://localhost:$PORT). When it is https,
   * the session cookie is Secure and HSTS and upgrade-insecure-requests are sent; over plain HTTP
   * (a LAN address) neither, or the browser could not load the app.
   */
  readonly publicUrl: URL;
  /** Single sign-on with OpenID Connect; null unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
  readonly oidc: OidcConfig | null;
  /** 32 bytes that seal stored TOTP secrets (AES-256-GCM); null: they are stored as they are. */
  readonly totpEncryptionKey: Buffer | null;
  /** Webhook delivery: the first retry's delay (seconds, fractions allowed), private networks, the claim lease. */
  readonly webhooks: WebhookConfig;
  /** Worker processes serving one port (node:cluster); 1: this process serves it alone. */
  readonly webConcurrency: number;
  /** The bearer token GET /metrics wants; null: /metrics answers 404. */
  readonly metricsToken: string | null;
}

export interface OidcConfig {
  /** The provider's issuer identifier (discovery reads `${issuer}/.well-known/openid-configuration`). */
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Whether a first sign-in whose `sub` is linked to no account makes a new account (default false). */
  readonly autoRegister: boolean;
}

export interface WebhookConfig {
  readonly retryBaseSeconds: number;
  readonly allowPrivateNetworks: boolean;
  readonly leaseSeconds: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === "" ? fallback : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function storageKind(env: Env): StorageKind {
  const raw = env.STORAGE?.trim().toLowerCase();
  if (raw === undefined || raw === "") return env.DB_HOST ? "mysql" : "sqlite";
  if (raw === "mysql" || raw === "sqlite" || raw === "memory") return raw;
  throw new ConfigError("STORAGE", `must be one of mysql, sqlite, memory (got "${env.STORAGE}")`);
}

function logLevel(env: Env): string {
  const explicit = env.LOG_LEVEL?.trim().toLowerCase();
  if (explicit) {
    if (!LOG_LEVELS.includes(explicit)) {
      throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")} (got "${env.LOG_LEVEL}")`);
    }
    return explicit;
  }
  // The seed's FLASK_DEBUG=true is read as debug.
  return /^(1|true|yes|on)$/i.test(env.FLASK_DEBUG?.trim() ?? "") ? "debug" : "info";
}

function origins(env: Env): string[] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return [];
  const list = raw.split(",").map((origin) => origin.trim()).filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^\s/]+$/.test(origin)) {
      throw new ConfigError("CORS_ORIGINS", `must list origins like https://app.example.com (got "${origin}")`);
    }
  }
  return list;
}

const TRUST_PROXY_FORMAT = "must list the reverse proxies' IPv4/IPv6 addresses or CIDRs, like 127.0.0.1,10.0.0.0/8,::1";

/** One trusted proxy: an address, or a CIDR whose prefix fits its address family. */
function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf("/");
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  // A /0 would trust every address; proxy-addr refuses it as well.
  return /^[1-9]\d{0,2}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function trustedProxies(env: Env): string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return [];
  const list = raw.split(",").map((entry) => entry.trim()).filter(Boolean);
  for (const entry of list) {
    // Trusting every peer, or a hop count (which cannot tell a proxy from a client), would let any
    // client that reaches the service directly choose its own address with X-Forwarded-For.
    if (/^(true|\*)$/i.test(entry)) {
      throw new ConfigError("TRUST_PROXY", `${TRUST_PROXY_FORMAT}; "${entry}" (every peer) would let any client choose its address`);
    }
    if (/^\d+$/.test(entry)) {
      throw new ConfigError("TRUST_PROXY", `${TRUST_PROXY_FORMAT}; a hop count ("${entry}") would let any client choose its address`);
    }
    if (!isAddressOrCidr(entry)) throw new ConfigError("TRUST_PROXY", `${TRUST_PROXY_FORMAT} (got "${entry}")`);
  }
  return list;
}

function publicUrl(env: Env, port: number): URL {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return new URL(`http://localhost:${port}`);
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.host === "") {
    throw new ConfigError("PUBLIC_URL", `must be an http:// or https:// URL like https://time.example.com (got "${raw}")`);
  }
  return url;
}

/** Three capital letters, as ISO 4217 writes codes ("EUR", "USD", "CHF"); default EUR. */
function currency(env: Env): string {
  const raw = env.CURRENCY?.trim();
  if (raw === undefined || raw === "") return "EUR";
  if (!/^[A-Za-z]{3}$/.test(raw)) throw new ConfigError("CURRENCY", `must be an ISO 4217 code such as EUR or USD (got "${raw}")`);
  return raw.toUpperCase();
}

/** A positive number of seconds, fractions allowed (tests retry within milliseconds). */
function seconds(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > max) {
    throw new ConfigError(name, `must be a number of seconds above 0 and at most ${max} (got "${raw}")`);
  }
  return value;
}

function webhooks(env: Env): WebhookConfig {
  return {
    retryBaseSeconds: seconds(env, "WEBHOOK_RETRY_BASE_SECONDS", 5, 86_400),
    allowPrivateNetworks: flag(env, "WEBHOOK_ALLOW_PRIVATE_NETWORKS", false),
    leaseSeconds: integer(env, "WEBHOOK_LEASE_SECONDS", 30, 1, 3600),
  };
}

function registration(env: Env): RegistrationPolicy {
  const raw = env.REGISTRATION?.trim().toLowerCase();
  if (raw === undefined || raw === "") return "open";
  const mode = REGISTRATION_POLICIES.find((candidate) => candidate === raw);
  if (!mode) throw new ConfigError("REGISTRATION", `must be one of ${REGISTRATION_POLICIES.join(", ")} (got "${env.REGISTRATION}")`);
  return mode;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/.test(raw)) return true;
  if (/^(0|false|no|off)$/.test(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${env[name]}")`);
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together turn single sign-on on; one or two
 * of them alone is a mistake. The issuer is https, or plain http on a loopback address (a provider
 * on the same machine, for trying it out).
 */
function oidc(env: Env): OidcConfig | null {
  const names = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
  const [issuerText, clientId, clientSecret] = names.map((name) => env[name]?.trim() ?? "");
  const set = names.filter((_name, i) => [issuerText, clientId, clientSecret][i] !== "");
  if (set.length === 0) {
    flag(env, "OIDC_AUTO_REGISTER", false);
    return null;
  }
  const missing = names.find((name) => !set.includes(name));
  if (missing) throw new ConfigError(missing, `must be set for single sign-on, as ${set.join(" and ")} ${set.length > 1 ? "are" : "is"}`);
  let issuer: URL | null = null;
  try {
    issuer = new URL(issuerText ?? "");
  } catch {
    issuer = null;
  }
  const secure = issuer?.protocol === "https:" || (issuer?.protocol === "http:" && LOOPBACK_HOSTS.has(issuer.hostname));
  // The stores keep issuers of up to 255 characters (an ID token's iss is the issuer as written).
  if (!issuer || !secure || issuer.search !== "" || issuer.hash !== "" || (issuerText ?? "").length > 255) {
    throw new ConfigError(
      "OIDC_ISSUER",
      `must be the provider's https:// issuer URL, like https://accounts.google.com (http:// only on localhost) (got "${issuerText}")`,
    );
  }
  return { issuer, clientId: clientId ?? "", clientSecret: clientSecret ?? "", autoRegister: flag(env, "OIDC_AUTO_REGISTER", false) };
}

/** 32 bytes as 64 hex digits or as base64 (44 characters); unset: none. */
function totpEncryptionKey(env: Env): Buffer | null {
  const raw = env.TOTP_ENCRYPTION_KEY?.trim();
  if (raw === undefined || raw === "") return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, "hex") : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) ? Buffer.from(raw, "base64") : null;
  if (!key || key.length !== 32) {
    throw new ConfigError("TOTP_ENCRYPTION_KEY", "must be 32 bytes as 64 hex digits or as base64 (openssl rand -base64 32)");
  }
  return key;
}

export function loadConfig(env: Env): Config {
  const storage = storageKind(env);
  const dbHost = env.DB_HOST?.trim() ?? "";
  if (storage === "mysql" && dbHost === "") {
    throw new ConfigError("DB_HOST", "must name the MySQL host when STORAGE=mysql");
  }
  const port = integer(env, "PORT", 3000, 0, 65_535);
  const webConcurrency = integer(env, "WEB_CONCURRENCY", 1, 1, 256);
  if (webConcurrency > 1 && storage === "memory") {
    // Each worker would have a database of its own: a user registered by one is unknown to the next.
    throw new ConfigError("WEB_CONCURRENCY", "must be 1 with STORAGE=memory (workers would not share one database)");
  }
  return {
    port,
    host: text(env, "HOST", "0.0.0.0"),
    storage,
    mysql: {
      host: dbHost,
      port: integer(env, "DB_PORT", 3306, 1, 65_535),
      user: text(env, "DB_USER", "username"),
      password: env.DB_PASSWORD ?? "1234",
      database: text(env, "DB_NAME", "time_tracker"),
      poolSize: integer(env, "DB_POOL_SIZE", 5, 1, 1000),
    },
    sqlitePath: text(env, "SQLITE_PATH", "./data/time-tracker.sqlite"),
    logLevel: logLevel(env),
    sessionTtlSeconds: integer(env, "SESSION_TTL_SECONDS", 86_400, 60, 31_536_000),
    rateLimit: {
      registerPerHour: integer(env, "RATE_LIMIT_REGISTER_PER_HOUR", 20, 0, 1_000_000),
      loginFailures: integer(env, "RATE_LIMIT_LOGIN_FAILURES", 10, 0, 1_000_000),
    },
    corsOrigins: origins(env),
    registration: registration(env),
    currency: currency(env),
    trustProxy: trustedProxies(env),
    publicUrl: publicUrl(env, port),
    oidc: oidc(env),
    totpEncryptionKey: totpEncryptionKey(env),
    webhooks: webhooks(env),
    webConcurrency,
    metricsToken: env.METRICS_TOKEN?.trim() ? env.METRICS_TOKEN.trim() : null,
  };
}
