import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, DisplayName, Empty, IsoTime, UserKey } from './common';
import { NatsterEvent } from './events';
import { message } from './validate';

/**
 * Request and reply bodies of every global-service operation
 * (`natster.global.<op>`, see GlobalOps). The caller is always token 1 of
 * the subject, never a body field.
 */

/** `events.put`: the body is one NatsterEvent. */
export const EventsPutRequest = NatsterEvent;
export const EventsPutReply = message(
  Type.Object({
    /** Sequence of the event in the log. */
    seq: Type.Integer({ minimum: 1 }),
    /** True when an event with this id was already in the log (nothing was appended). */
    duplicate: Type.Boolean(),
  }),
  'events.put reply',
);
export type EventsPutReply = Static<typeof EventsPutReply.schema>;

/** `heartbeats.put`: a running catalog server says it is alive. */
export const HeartbeatRequest = message(
  Type.Object(
    {
      catalog: CatalogName,
      /** Catalog revision: bumps whenever its file list changes. */
      revision: Type.Integer({ minimum: 0 }),
      files: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  'heartbeat',
);
export type HeartbeatRequest = Static<typeof HeartbeatRequest.schema>;
export const HeartbeatReply = message(
  Type.Object({
    /** True when this heartbeat brought the catalog online (a catalog_online event was written). */
    came_online: Type.Boolean(),
    /** Send the next heartbeat within this many milliseconds. */
    period_ms: Type.Integer({ minimum: 1 }),
  }),
  'heartbeat reply',
);
export type HeartbeatReply = Static<typeof HeartbeatReply.schema>;

/**
 * `heartbeats.offline`: a catalog server stopping cleanly says so, so its
 * catalog goes offline at once instead of after three silent periods. Only
 * the caller's own catalog can be named (the key is caller + catalog).
 */
export const HeartbeatOfflineRequest = message(
  Type.Object({ catalog: CatalogName }, { additionalProperties: false }),
  'heartbeats.offline request',
);
export type HeartbeatOfflineRequest = Static<typeof HeartbeatOfflineRequest.schema>;
export const HeartbeatOfflineReply = message(
  Type.Object({
    /** True when this request took the catalog offline (a catalog_offline event was written); false when it was not online. */
    went_offline: Type.Boolean(),
  }),
  'heartbeats.offline reply',
);
export type HeartbeatOfflineReply = Static<typeof HeartbeatOfflineReply.schema>;

export const StatsRequest = message(Empty, 'stats request');
export const StatsReply = message(
  Type.Object({
    accounts_initialized: Type.Integer({ minimum: 0 }),
    catalogs_online: Type.Integer({ minimum: 0 }),
    shares_active: Type.Integer({ minimum: 0 }),
    imports: Type.Integer({ minimum: 0 }),
    events_total: Type.Integer({ minimum: 0 }),
  }),
  'stats reply',
);
export type StatsReply = Static<typeof StatsReply.schema>;

/** One share (or import) the caller takes part in, from either side. */
export const ShareView = Type.Object({
  owner: AccountKey,
  target: AccountKey,
  catalog: CatalogName,
  /** False for an import of a catalog that was never shared (e.g. the demo catalog). */
  shared: Type.Boolean(),
  shared_at: Type.Union([IsoTime, Type.Null()]),
  imported: Type.Boolean(),
  imported_at: Type.Union([IsoTime, Type.Null()]),
  /** Whether the owner's catalog server is sending heartbeats. */
  online: Type.Boolean(),
  /** Last revision the catalog server reported; null when never seen online. */
  revision: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
export type ShareView = Static<typeof ShareView>;

export const MySharesRequest = message(Empty, 'my.shares request');
export const MySharesReply = message(Type.Object({ shares: Type.Array(ShareView) }), 'my.shares reply');
export type MySharesReply = Static<typeof MySharesReply.schema>;

/**
 * What a one-time code is bound to besides the sealed payload: a short,
 * human-readable summary of the CLI context that minted it.
 */
export const ContextSummary = Type.Object(
  {
    /** Name of the CLI context (e.g. "default"). */
    name: Type.String({ minLength: 1, maxLength: 64 }),
    /** User key of the scoped portal creds, when the payload holds creds. */
    user: Type.Optional(UserKey),
    display_name: Type.Optional(DisplayName),
    hub_url: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type ContextSummary = Static<typeof ContextSummary>;

/** Largest opaque sealed payload a one-time code may carry. */
export const MAX_SEALED_CHARS = 24 * 1024;

export const OtcGenerateRequest = message(
  Type.Object(
    {
      context: ContextSummary,
      /** Opaque to the global service (the portal's sealed creds). */
      sealed: Type.String({ minLength: 1, maxLength: MAX_SEALED_CHARS }),
    },
    { additionalProperties: false },
  ),
  'otc.generate request',
);
export type OtcGenerateRequest = Static<typeof OtcGenerateRequest.schema>;
export const OtcGenerateReply = message(
  Type.Object({
    code: Type.String({ minLength: 6, maxLength: 16 }),
    /** `<portal_url>/login/<code>` */
    claim_url: Type.String({ maxLength: 512 }),
    valid_minutes: Type.Number({ minimum: 0 }),
    expires_at: IsoTime,
  }),
  'otc.generate reply',
);
export type OtcGenerateReply = Static<typeof OtcGenerateReply.schema>;

/** Codes as typed by a person: letters and digits, case-insensitive. */
export const OtcCode = Type.String({ pattern: '^[A-Za-z0-9]{6,16}$', description: 'one-time code' });

export const OtcClaimRequest = message(Type.Object({ code: OtcCode }, { additionalProperties: false }), 'otc.claim request');
export type OtcClaimRequest = Static<typeof OtcClaimRequest.schema>;
export const OtcClaimReply = message(
  Type.Object({
    /** The account that generated the code. */
    account: AccountKey,
    context: ContextSummary,
    sealed: Type.String({ maxLength: MAX_SEALED_CHARS }),
    created_at: IsoTime,
  }),
  'otc.claim reply',
);
export type OtcClaimReply = Static<typeof OtcClaimReply.schema>;

/** What the global service knows about one account. */
export const AccountView = Type.Object({
  account: AccountKey,
  initialized: Type.Boolean(),
  initialized_at: Type.Union([IsoTime, Type.Null()]),
  display_name: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  portal_bound: Type.Boolean(),
  portal_bound_at: Type.Union([IsoTime, Type.Null()]),
});
export type AccountView = Static<typeof AccountView>;

export const WhoamiRequest = message(Empty, 'whoami request');
export const WhoamiReply = message(AccountView, 'whoami reply');
export type WhoamiReply = Static<typeof WhoamiReply.schema>;

export const ContextGetRequest = message(Type.Object({ account: AccountKey }, { additionalProperties: false }), 'context.get request');
export type ContextGetRequest = Static<typeof ContextGetRequest.schema>;
export const ContextGetReply = message(AccountView, 'context.get reply');
export type ContextGetReply = Static<typeof ContextGetReply.schema>;

/** The name is checked by the service (not the schema) so a bad name gets a message saying why. */
export const ValidateCatalogNameRequest = message(
  Type.Object({ name: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
  'catalogs.validatename request',
);
export type ValidateCatalogNameRequest = Static<typeof ValidateCatalogNameRequest.schema>;
export const ValidateCatalogNameReply = message(Type.Object({ name: CatalogName, valid: Type.Literal(true) }), 'catalogs.validatename reply');
export type ValidateCatalogNameReply = Static<typeof ValidateCatalogNameReply.schema>;
