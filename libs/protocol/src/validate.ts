import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Codes, NatsterError } from './envelope';

/** Requests larger than this are refused with 413 before they are parsed. */
export const MAX_REQUEST_BYTES = 64 * 1024;

const decoder = new TextDecoder();

/**
 * A message schema compiled once (TypeBox's compiler is among the fastest
 * JSON-schema validators and gives static types from the same definition).
 */
export interface Message<S extends TSchema> {
  readonly schema: S;
  /** Validates an already-decoded value; throws NatsterError(400) with the first problems. */
  check(value: unknown): Static<S>;
  /** Decodes JSON bytes and validates; 413 if too large, 400 if not JSON or invalid. */
  decode(bytes: Uint8Array, maxBytes?: number): Static<S>;
}

export function message<S extends TSchema>(schema: S, what: string): Message<S> {
  const compiled = TypeCompiler.Compile(schema);
  const check = (value: unknown): Static<S> => {
    if (compiled.Check(value)) return value;
    const problems = [...compiled.Errors(value)]
      .slice(0, 3)
      .map((e) => `${e.path || '(body)'}: ${e.message}`)
      .join('; ');
    throw new NatsterError(Codes.badRequest, `invalid ${what}: ${problems}`);
  };
  return {
    schema,
    check,
    decode(bytes, maxBytes = MAX_REQUEST_BYTES) {
      if (bytes.length > maxBytes) {
        throw new NatsterError(Codes.tooLarge, `${what} is ${bytes.length} bytes; the limit is ${maxBytes}`);
      }
      let value: unknown;
      try {
        value = bytes.length === 0 ? {} : JSON.parse(decoder.decode(bytes));
      } catch {
        throw new NatsterError(Codes.badRequest, `invalid ${what}: body is not JSON`);
      }
      return check(value);
    },
  };
}
