/**
 * Signing outgoing deliveries, Stripe/Slack style: HMAC-SHA256 over `timestamp + "." + body`
 * with the bot's signing secret. Receivers recompute it and reject a timestamp older than five
 * minutes, so a captured delivery cannot be replayed later.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-quanzi-signature';
export const TIMESTAMP_HEADER = 'x-quanzi-timestamp';
export const EVENT_HEADER = 'x-quanzi-event';
export const DELIVERY_HEADER = 'x-quanzi-delivery';

export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
