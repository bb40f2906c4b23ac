// Judges one found link. Order matters: the room's allow list wins over heuristics (owners know
// their sites), deny lists and spoofing tricks win over "known site" (a known name before "@"
// is the trick itself), and known sites skip the remaining heuristics so everyday links to
// bilibili, github or zhihu pass untouched.

import { finding, type ReasonCode } from '../reasons.ts';
import { present } from '../rule.ts';
import type { SafetyAction, SafetyReason, Strictness } from '../types.ts';
import type { FoundLink } from './find-links.ts';
import {
  DECOY_EXTENSIONS,
  EXECUTABLE_EXTENSIONS,
  IMITATED_BRANDS,
  KNOWN_SITES,
  NEVER_SHARED_EXTENSIONS,
  SHORTENERS,
  SUSPICIOUS_SUFFIXES,
} from './site-lists.ts';
import { isOneTypoAway, mixesScripts, skeletonOf } from './skeleton.ts';

export interface DomainLists {
  roomAllowed: readonly string[];
  roomDenied: readonly string[];
  globalDenied: readonly string[];
}

const BRAND_SKELETONS = new Map(IMITATED_BRANDS.map((brand) => [skeletonOf(brand), brand]));

export function judgeLink(link: FoundLink, lists: DomainLists, strictness: Strictness): SafetyReason[] {
  const found: Array<SafetyReason | null> = [];
  const add = (code: ReasonCode, action: Exclude<SafetyAction, 'allow'>, fixed: boolean, detail: string) =>
    found.push(finding(code, action, strictness, { fixed, detail }));
  const host = link.asciiHost;

  if (isOnList(host, lists.roomAllowed)) return [];

  if (link.userinfo !== null && isPlantedName(link.userinfo)) {
    add('LINK_USERINFO_TRICK', 'block', true, `${link.userinfo}@${link.unicodeHost}`);
  }
  if (isOnList(host, lists.globalDenied)) add('LINK_DENIED_DOMAIN', 'block', true, host);
  if (isOnList(host, lists.roomDenied)) add('LINK_ROOM_DENIED_DOMAIN', 'block', true, host);

  if (link.isIp) {
    // The WHATWG host parser turns 3232235777, 0xC0A80001 and 0300.0250.0.1 into dotted form;
    // a host that changed was written in an encoded form no person uses by accident.
    if (host !== link.host) add('LINK_OBFUSCATED_IP', 'block', true, `${link.host} = ${host}`);
    else if (!isPrivateIPv4(host)) add('LINK_IP_LITERAL', 'hold', false, host);
    return present(found);
  }

  const fileName = link.path.split(/[?#]/)[0].split('/').pop() ?? '';
  const extensions = fileName.toLowerCase().split('.').slice(1);
  const lastExtension = extensions.at(-1) ?? '';
  if (extensions.length >= 2 && EXECUTABLE_EXTENSIONS.has(lastExtension) && DECOY_EXTENSIONS.has(extensions.at(-2) ?? '')) {
    add('LINK_DOUBLE_EXTENSION', 'block', true, fileName);
  }

  if (isKnownSite(link)) return present(found);

  judgeImitation(link, add);

  if ((link.domain && SHORTENERS.has(link.domain)) || SHORTENERS.has(host)) add('LINK_SHORTENER', 'flag', false, host);
  if (extensions.length === 1 && EXECUTABLE_EXTENSIONS.has(lastExtension)) {
    add('LINK_RISKY_DOWNLOAD', NEVER_SHARED_EXTENSIONS.has(lastExtension) ? 'block' : 'hold', false, fileName);
  }
  const suffix = host.slice(host.lastIndexOf('.') + 1);
  if (SUSPICIOUS_SUFFIXES.has(suffix)) add('LINK_SUSPICIOUS_TLD', 'flag', false, `.${suffix}`);
  if (link.obfuscated) add('LINK_OBFUSCATED', 'hold', false, link.unicodeHost);

  return present(found);
}

function judgeImitation(
  link: FoundLink,
  add: (code: ReasonCode, action: Exclude<SafetyAction, 'allow'>, fixed: boolean, detail: string) => void,
): void {
  const unicodeLabel = link.unicodeHost.split('.').at(-2 - suffixLabelCount(link)) ?? '';
  const label = unicodeLabel || link.domainLabel || '';
  if (!label) return;
  const imitated = BRAND_SKELETONS.get(skeletonOf(label));
  if (imitated !== undefined && label !== imitated) {
    add('LINK_LOOKALIKE_DOMAIN', 'block', true, `${link.unicodeHost} imitates ${imitated}`);
    return;
  }
  const typoOf = label.length >= 6 ? IMITATED_BRANDS.find((brand) => brand.length >= 6 && isOneTypoAway(label, brand)) : undefined;
  if (typoOf !== undefined) {
    add('LINK_LOOKALIKE_DOMAIN', 'hold', false, `${link.unicodeHost} is one typo from ${typoOf}`);
    return;
  }
  if (mixesScripts(label)) {
    add('LINK_MIXED_SCRIPT', 'hold', false, link.unicodeHost);
    return;
  }
  const brandInName = imitated ?? findBrandToken(link.unicodeHost);
  if (brandInName !== undefined) add('LINK_BRAND_IMPERSONATION', 'hold', false, `${link.unicodeHost} uses ${brandInName}`);
}

// "bilibili-login.com", "secure.paypal.com.verify.top", "apple-id.cn": a brand as a whole
// hyphen/dot-separated token of a host that is not the brand's own site.
function findBrandToken(host: string): string | undefined {
  const tokens = new Set(host.split(/[.-]/));
  return IMITATED_BRANDS.find((brand) => tokens.has(brand));
}

function suffixLabelCount(link: FoundLink): number {
  if (!link.domain || !link.domainLabel) return 0;
  return link.domain.slice(link.domainLabel.length + 1).split('.').length - 1;
}

function isKnownSite(link: FoundLink): boolean {
  if (link.domain !== null && KNOWN_SITES.has(link.domain)) return true;
  // Entries below the registrable domain (developer.mozilla.org): walk the host's parent names.
  for (let at = link.asciiHost.indexOf('.'); at >= 0; at = link.asciiHost.indexOf('.', at + 1)) {
    if (KNOWN_SITES.has(link.asciiHost.slice(at + 1))) return true;
  }
  return KNOWN_SITES.has(link.asciiHost);
}

function isPlantedName(userinfo: string): boolean {
  // "user:password@host" is an (old, rare) legitimate form; a dotted name or a brand is a disguise.
  return userinfo.includes('.') || IMITATED_BRANDS.some((brand) => userinfo.includes(brand));
}

/** host equals an entry or is a subdomain of it. */
export function isOnList(host: string, entries: readonly string[]): boolean {
  for (const entry of entries) {
    if (host === entry) return true;
    // endsWith(`.${entry}`) without building that string for every entry of every link.
    const dot = host.length - entry.length - 1;
    if (dot > 0 && host.charCodeAt(dot) === 46 && host.endsWith(entry)) return true;
  }
  return false;
}

function isPrivateIPv4(host: string): boolean {
  const [a, b] = host.split('.').map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}
