/**
 * Which network addresses the server may reach on a user's behalf: public ones only, never this
 * machine (unless allowed, for development) or a private network. Used where the server dials an
 * address someone else chose: bots' webhook endpoints, checked when registered and again on the
 * address actually dialled (server/bots/outbound.ts).
 */
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(prefix, bits, 'ipv6');
}
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Is this address one a bot endpoint may live at? */
export function isAllowedDestination(address: string, allowLoopback: boolean): boolean {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isAllowedDestination(mapped[1]!, allowLoopback);
  if (LOOPBACK.check(address, family)) return allowLoopback;
  return !PRIVATE.check(address, family);
}
