import type { TSchema } from '@sinclair/typebox';

/** One hostile request body and what it is. */
export interface FuzzCase {
  name: string;
  body: Uint8Array;
  /** The field given a hostile string, if that is what this case does. */
  hostileIn?: string;
}

const enc = new TextEncoder();
const json = (value: unknown): Uint8Array => enc.encode(JSON.stringify(value));

/** Bytes that are not UTF-8: a lone continuation, an overlong `/`, a surrogate half, a truncated sequence. */
const INVALID_UTF8 = [0xff, 0xfe, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82];
const MARK = 'FUZZ_INVALID_UTF8_MARK';

/** JSON of `value` with the marker string's bytes replaced by invalid UTF-8. */
function withInvalidUtf8(value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  const at = text.indexOf(MARK);
  return Uint8Array.from([...enc.encode(text.slice(0, at)), ...INVALID_UTF8, ...enc.encode(text.slice(at + MARK.length))]);
}

/** Strings a hostile peer sends where a name, path, key or hash is expected. */
const hostileStrings: [string, string][] = [
  ['empty', ''],
  ['NUL bytes', 'films\u0000/../../etc/passwd'],
  ['dot-dot', '..'],
  ['climbing path', '../../../../etc/passwd'],
  ['absolute path', '/etc/passwd'],
  ['subject wildcards', 'a.*.>'],
  ['terminal escapes', '\u001b]0;owned\u0007\u001b[2J'],
  ['right-to-left override', 'mp4.\u202eexe'],
  ['huge string (60 KiB)', 'x'.repeat(60 * 1024)],
];

/** Values of the wrong type for any field. */
const wrongTypes: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['beyond 2^53', 2 ** 64],
  ['string', 'x'],
  ['array', ['x', 1]],
  ['object', { nested: { deeper: [] } }],
  ['array of 5,000 numbers', Array.from({ length: 5_000 }, (_, i) => i)],
];

interface ObjectSchema extends TSchema {
  properties: Record<string, TSchema>;
  required?: string[];
}

const isObjectSchema = (schema: TSchema): schema is ObjectSchema => schema.type === 'object' && typeof schema.properties === 'object';

/** A hostile variant of an object: its name, the object, and the field path given a hostile string (if any). */
type Variant = [name: string, value: Record<string, unknown>, hostileIn?: string];

/**
 * Field-level variants of `base`, driven by its schema: each required field
 * missing, an extra field, each field of every wrong type, every hostile
 * string and invalid UTF-8 (as a marker), recursing into nested objects.
 */
function* variants(base: Record<string, unknown>, schema: TSchema, path = ''): Generator<Variant> {
  const fields = isObjectSchema(schema) ? Object.keys(schema.properties) : Object.keys(base);
  const required = isObjectSchema(schema) ? (schema.required ?? []) : [];
  for (const field of required) {
    const { [field]: _dropped, ...rest } = base;
    yield [`missing ${path}${field}`, rest];
  }
  yield [`extra field in ${path ? path.slice(0, -1) : 'body'}`, { ...base, unexpected_field: 'x' }];
  for (const field of fields) {
    const at = `${path}${field}`;
    for (const [what, value] of wrongTypes) yield [`${at}: ${what}`, { ...base, [field]: value }];
    for (const [what, value] of hostileStrings) yield [`${at}: ${what}`, { ...base, [field]: value }, at];
    yield [`${at}: invalid UTF-8`, { ...base, [field]: MARK }];
    const nested = isObjectSchema(schema) ? schema.properties[field] : undefined;
    const inner = base[field];
    if (nested && isObjectSchema(nested) && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      for (const [name, value, hostileIn] of variants(inner as Record<string, unknown>, nested, `${at}.`)) {
        yield [name, { ...base, [field]: value }, ...(hostileIn ? [hostileIn] : [])] as Variant;
      }
    }
  }
}

/**
 * Hostile variants of a valid request `base`: the schema-driven field
 * variants above, and bodies that are not the message at all (non-JSON,
 * invalid UTF-8, other JSON values, deep nesting, over 64 KiB, 1 MiB).
 */
export function* mutations(base: Record<string, unknown>, schema: TSchema): Generator<FuzzCase> {
  for (const [name, value, hostileIn] of variants(base, schema)) {
    const text = JSON.stringify(value);
    yield { name, body: text.includes(MARK) ? withInvalidUtf8(value) : enc.encode(text), ...(hostileIn ? { hostileIn } : {}) };
  }
  yield { name: '__proto__ field', body: enc.encode(JSON.stringify(base).replace(/^\{/, '{"__proto__":{"polluted":true},')) };
  yield { name: 'not JSON', body: enc.encode('{"unterminated": ') };
  yield { name: 'binary garbage', body: Uint8Array.from(INVALID_UTF8) };
  yield { name: 'invalid UTF-8 key', body: withInvalidUtf8({ ...base, [MARK]: 1 }) };
  for (const value of [null, [], 42, 'text', true]) yield { name: `JSON ${JSON.stringify(value)}`, body: json(value) };
  yield { name: 'nesting 20,000 deep', body: enc.encode('['.repeat(20_000) + ']'.repeat(20_000)) };
  yield { name: 'just over 64 KiB', body: json({ ...base, pad: 'x'.repeat(64 * 1024) }) };
  yield { name: '1 MiB body', body: json({ ...base, pad: 'x'.repeat(1024 * 1024) }) };
}
