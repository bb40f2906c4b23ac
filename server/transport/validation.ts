/**
 * JSON-schema validation shared by HTTP routes and socket events, so a payload is judged the
 * same way whichever door it came through. Bodies and socket payloads are checked strictly
 * (no type coercion, unknown fields refused); query strings and path params are text by
 * nature, so there numbers are coerced.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from 'typebox';
import { UNSTORABLE_CHARACTER } from '../domain/storable-text.ts';
import { AppError } from '../errors.ts';
import { MAX_TEXT_LENGTH } from '../../shared/schemas.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: false, strict: false });
  addFormats(ajv);
  return ajv;
}

export const strictAjv = makeAjv(false);
export const coercingAjv = makeAjv(true);


/**
 * The JSON-pointer path of the first string (or object key) holding an unstorable character.
 * A walk with its own stack, not recursion: a body may nest thousands of levels deep within the
 * size limit (where a schema allows any value), and must not overflow the call stack.
 */
function unstorableStringAt(value: unknown, path: string): string | null {
  // Entries are visited in document order; an object key is checked just before its value.
  const pending: Array<{ value: unknown; path: string; keyOf?: { key: string; objectPath: string } }> = [{ value, path }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.keyOf && UNSTORABLE_CHARACTER.test(next.keyOf.key)) return next.keyOf.objectPath;
    const current = next.value;
    if (typeof current === 'string') {
      if (UNSTORABLE_CHARACTER.test(current)) return next.path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: `${next.path}/${i}` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!;
        pending.push({ value: inner, path: `${next.path}/${key}`, keyOf: { key, objectPath: next.path } });
      }
    }
  }
  return null;
}

/** The schema check, then the storable-text check, reporting errors the way ajv does. */
function withStorableText(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    if (!validate(data)) {
      checked.errors = validate.errors;
      return false;
    }
    const at = unstorableStringAt(data, '');
    if (at === null) {
      checked.errors = null;
      return true;
    }
    checked.errors = [
      { instancePath: at, schemaPath: '#', keyword: 'storableText', params: {}, message: 'must not contain NUL characters or unpaired surrogates' },
    ];
    return false;
  }) as ValidateFunction;
  return checked;
}

/** Fastify's validator compiler: strict for bodies, coercing for querystring, params and headers. */
export function compileForHttpPart({ schema, httpPart }: { schema: object; httpPart?: string }) {
  return withStorableText((httpPart === 'body' ? strictAjv : coercingAjv).compile(schema));
}

/** Turns the first schema violation into the error a client sees, with a specific code where one exists. */
export function validationError(errors: ErrorObject[] | null | undefined, where: string): AppError {
  const first = errors?.[0];
  if (!first) return new AppError('VALIDATION_FAILED');
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  // A message's text; shorter texts with a field of the same name (a 接龙 line) say their own limit.
  if (field === 'text' && first.keyword === 'maxLength' && (first.params as { limit?: number }).limit === MAX_TEXT_LENGTH) return new AppError('MESSAGE_TOO_LONG');
  if (field === 'text' && first.keyword === 'minLength') return new AppError('MESSAGE_EMPTY');
  const subject = field ? `${where}.${field}` : where;
  const extra =
    first.keyword === 'additionalProperties'
      ? ` (unknown field "${(first.params as { additionalProperty: string }).additionalProperty}")`
      : '';
  return new AppError('VALIDATION_FAILED', `${subject} ${first.message ?? 'is invalid'}${extra}`, { field: subject });
}

/** A checker for socket payloads: returns the typed payload or throws VALIDATION_FAILED. */
export function payloadValidator<T>(schema: TSchema): (payload: unknown) => T {
  const validate = withStorableText(strictAjv.compile(schema as object));
  return (payload: unknown) => {
    if (!validate(payload)) throw validationError(validate.errors, 'payload');
    return payload as T;
  };
}
