/** Bearer tokens: random, shown to the client once, stored only as a SHA-256 digest. */
import { createHash, randomBytes } from 'node:crypto';

export function newSessionToken(): string {
  return `qzs_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
