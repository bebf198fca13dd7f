import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, IsoTime } from './common';
import { message } from './validate';

/** Every event type the log knows; `as const` instead of an enum. */
export const EventTypes = {
  natsterInitialized: 'natster_initialized',
  catalogShared: 'catalog_shared',
  catalogUnshared: 'catalog_unshared',
  catalogImported: 'catalog_imported',
  catalogUnimported: 'catalog_unimported',
  contextBound: 'context_bound',
  catalogOnline: 'catalog_online',
  catalogOffline: 'catalog_offline',
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const EventType = Type.Union(Object.values(EventTypes).map((t) => Type.Literal(t)));

/**
 * A Natster event, CloudEvents 1.0 shaped. `data.origin` is the account the
 * event is about (who shared, who imported, who initialized); `target` is the
 * other account of a share or import; `catalog` the catalog concerned.
 * Subject in the log: natster.events.<origin>.<target|none>.<catalog|none>.<type>.
 */
export const NatsterEvent = message(
  Type.Object(
    {
      specversion: Type.Literal('1.0'),
      id: Type.String({ minLength: 8, maxLength: 64, description: 'unique id; the log de-duplicates on it' }),
      type: EventType,
      source: Type.String({ maxLength: 128, description: 'natster://<origin account>' }),
      time: IsoTime,
      datacontenttype: Type.Optional(Type.Literal('application/json')),
      data: Type.Object(
        {
          origin: AccountKey,
          target: Type.Union([AccountKey, Type.Null()]),
          catalog: Type.Union([CatalogName, Type.Null()]),
          /** Type-specific extras (e.g. display name, revision); never catalog contents. */
          details: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 512 }), Type.Number(), Type.Boolean(), Type.Null()]))),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  'event',
);
export type NatsterEvent = Static<typeof NatsterEvent.schema>;

/** Builds a well-formed event; ids are random (crypto) so retries de-duplicate. */
export function newEvent(
  type: EventType,
  origin: string,
  fields: { target?: string | null; catalog?: string | null; details?: NatsterEvent['data']['details'] } = {},
): NatsterEvent {
  return {
    specversion: '1.0',
    id: crypto.randomUUID().replace(/-/g, ''),
    type,
    source: `natster://${origin}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      origin,
      target: fields.target ?? null,
      catalog: fields.catalog ?? null,
      ...(fields.details ? { details: fields.details } : {}),
    },
  };
}
