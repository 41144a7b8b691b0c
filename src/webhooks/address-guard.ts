import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * No server-side request forgery: a webhook is never delivered to loopback, private, link-local (which holds the
 * cloud-metadata address 169.254.169.254), carrier-grade NAT, multicast or reserved addresses, checked on the very
 * addresses a connection is about to use, after name resolution, on every attempt (a name may resolve elsewhere
 * tomorrow). OPENCASE_WEBHOOK_ALLOW_PRIVATE=1 lifts it, for development and tests.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // Unspecified and loopback; IPv4-mapped and NAT64 (each can name any IPv4 address); unique-local (AWS's metadata
  // fd00:ec2::254 among them); link-local; multicast; documentation.
  ['::', 127], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** Why this address may not be delivered to, or undefined when it may. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6') ? `${address} is a loopback, private, link-local or reserved address` : undefined;
}

/**
 * Why a URL whose host is a literal address may not be delivered to (a name is checked once it resolves, by
 * guardedLookup), or undefined. `[::1]` is the host `::1`.
 */
export function forbiddenLiteralHost(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) === 0 ? undefined : forbiddenAddress(host);
}

export class ForbiddenAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses a name resolving to any forbidden address. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.map((entry) => forbiddenAddress(entry.address)).find((reason) => reason !== undefined);
    if (refused) return callback(new ForbiddenAddressError(`${hostname} resolves to ${refused}`), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(new ForbiddenAddressError(`${hostname} resolves to no address`), []);
    callback(null, first.address, first.family);
  });
}
