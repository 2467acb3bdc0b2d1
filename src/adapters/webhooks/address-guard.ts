import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { WebhookUrlForbidden } from "../../domain/errors.js";
import type { WebhookUrlGuard } from "../../application/ports/webhook-sender.js";

/** Loopback, private, link-local, unique-local, shared, multicast and reserved ranges. */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
  ["2001:db8::", 32],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:a.b.c.d), if any. */
function embeddedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,5}(?:ffff:)?(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address.replace(/^::/, ""));
  if (!address.startsWith("::") || !match) return null;
  if (match[1]) return match[1];
  const high = parseInt(match[2] ?? "0", 16);
  const low = parseInt(match[3] ?? "0", 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** True when `address` (an IP literal) is one a webhook must not reach. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.check(address, "ipv4");
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address.toLowerCase());
  if (v4 !== null && isIP(v4) === 4) return FORBIDDEN.check(v4, "ipv4");
  return FORBIDDEN.check(address, "ipv6");
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/**
 * Every address the host resolves to, refused as a whole when any of them is forbidden (a
 * resolver that answers with a private address among public ones could pick it later).
 */
export async function resolveAllowed(host: string, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  const addresses: ResolvedAddress[] = family !== 0 ? [{ address: host, family }] : await lookupAll(host);
  if (addresses.length === 0) throw new WebhookUrlForbidden(`${host} does not resolve to any address`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new WebhookUrlForbidden(`${host} is or resolves to a private, loopback or link-local address (${bad.address})`);
  }
  return addresses;
}

async function lookupAll(host: string): Promise<ResolvedAddress[]> {
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookUrlForbidden(`${host} does not resolve`);
  }
}

/** The guard at creation: WEBHOOK_ALLOW_PRIVATE_NETWORKS=true turns the address check off. */
export class DnsWebhookUrlGuard implements WebhookUrlGuard {
  constructor(private readonly allowPrivate: boolean) {}

  async check(url: URL): Promise<void> {
    await resolveAllowed(hostOf(url), this.allowPrivate);
  }
}
