import { Type } from '@sinclair/typebox';

/** Shared field schemas, so each is defined once. */
export const AccountKey = Type.String({ pattern: '^A[A-Z2-7]{55}$', description: 'NATS account public key' });
export const UserKey = Type.String({ pattern: '^U[A-Z2-7]{55}$', description: 'NATS user public key' });
export const XKey = Type.String({ pattern: '^X[A-Z2-7]{55}$', description: 'curve25519 (xkey) public key' });
export const CatalogName = Type.String({ pattern: '^[a-z0-9_-]{1,32}$', description: 'catalog name' });
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lower-case hex' });
export const DisplayName = Type.String({ minLength: 1, maxLength: 64 });
export const IsoTime = Type.String({ maxLength: 40, description: 'ISO-8601 time' });
export const Empty = Type.Object({}, { additionalProperties: false });
