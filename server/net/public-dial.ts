/**
 * Dialling an address someone else chose (a bot's endpoint, a link a member posted) without
 * letting them reach inside our network. The check runs at connect time on the addresses the
 * name actually resolved to (a custom `lookup`), so a hostname cannot pass a check and then
 * resolve to 10.0.0.1 (DNS rebinding); a literal address is checked before dialling.
 */
import dns from 'node:dns';
import net from 'node:net';
import { isAllowedDestination } from '../domain/public-addresses.ts';

export class ForbiddenDestinationError extends Error {
  override name = 'ForbiddenDestinationError';
}

/** A `lookup` for http(s).request that refuses names resolving to any address that is not public. */
export function publicOnlyLookup(allowLoopback: boolean): net.LookupFunction {
  // Node asks for every address (all: true) when it races IPv4 and IPv6; answer in the shape asked.
  return ((hostname: string, lookupOptions: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => !isAllowedDestination(entry.address, allowLoopback));
      if (refused || addresses.length === 0) return callback(new ForbiddenDestinationError(`refusing ${refused?.address ?? hostname}: not a public address`));
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as unknown as net.LookupFunction;
}

/** Throws when the URL's host is a literal address that is not public (names are checked by the lookup). */
export function refuseLiteralHost(url: URL, allowLoopback: boolean): void {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(literal) !== 0 && !isAllowedDestination(literal, allowLoopback)) throw new ForbiddenDestinationError(`refusing ${literal}: not a public address`);
}
