/**
 * The `before` cursor of the lists paged newest first by time and then id (search across rooms,
 * a challenge period's check-ins): opaque to clients, the row's time and id, base64url. A cursor
 * that is not one a list gave is VALIDATION_FAILED naming the query field.
 */
import { UUID_PATTERN } from '../../shared/primitives.ts';
import { AppError } from '../errors.ts';

export interface TimeIdCursor {
  /** ISO 8601. */
  at: string;
  id: string;
}

const UUID = new RegExp(UUID_PATTERN);

export function formatTimeIdCursor(cursor: TimeIdCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`).toString('base64url');
}

export function parseTimeIdCursor(text: string, field = 'querystring.before'): TimeIdCursor {
  const [at, id] = Buffer.from(text, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'before must be the value a previous page gave for the next one', { field });
  }
  return { at, id: id.toLowerCase() };
}
