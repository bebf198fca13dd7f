import { join } from 'node:path';
import type { Logger, NatsConnection } from '@natster/nats';
import type { TestHub } from '@natster/testing';
import { MEDIA_NODE_FLAGS } from '@natster/hub';
import { cpuOf, peakRssOf, startRole, type RoleConfig, type RoleResult } from './roles';

/**
 * Node flags of the baselines: the ones that made raw nats.js fastest here
 * (a 64 MB old-generation floor, as Natster's; Natster's 2 MB semi-space,
 * which keeps its receiver under 200 MB, costs raw ~15 % of its speed).
 */
export const BASELINE_NODE_FLAGS = ['--initial-old-space-size=64'];

/** One measured run of one case. */
export interface Measurement {
  result: RoleResult;
  senderRss: number;
  /** CPU seconds of sender, receiver and nats-server during the run. */
  cpu: { sender: number; receiver: number; server: number };
  /** (a) only: chunks the chunker sent again (from its service stats). */
  senderRetransmits?: number;
}

export interface CaseContext {
  hub: TestHub;
  ownerNc: NatsConnection;
  /** The owner's catalog folder (the chunker serves the bench catalog from it). */
  catalogsDir: string;
  sender: RoleConfig;
  receiver: RoleConfig;
  threads: number;
  logger: Logger;
}

const chunkerMain = join(import.meta.dirname, '..', '..', 'services', 'chunker', 'src', 'main.ts');

async function waitForService(nc: NatsConnection, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await nc.services
      .client()
      .ping(name)
      .then(async (replies) => {
        for await (const _ of replies) return true;
        return false;
      })
      .catch(() => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start`);
}

/** The chunker's `retransmits` counter, read through the NATS service API (`$SRV.STATS`). */
async function chunkerRetransmits(nc: NatsConnection): Promise<number | undefined> {
  for await (const stats of await nc.services.client().stats('natster-chunker')) {
    const data = stats.endpoints?.[0]?.data as { retransmits?: number } | undefined;
    if (typeof data?.retransmits === 'number') return data.retransmits;
  }
  return undefined;
}

/** (a) A real download: the chunker service in its own process, the receiver in another (`loss`: the receiver drops that fraction). */
export async function measureNatster(ctx: CaseContext, loss?: { rate: number; seed: number }): Promise<Measurement> {
  const { sender, hub } = ctx;
  const chunker = startRole(chunkerMain, MEDIA_NODE_FLAGS, null, {
    NATS_URL: hub.url,
    NATSTER_CREDS: sender.creds,
    ...(hub.caFile ? { NATSTER_CA_FILE: hub.caFile } : {}),
    NATSTER_CATALOGS_DIR: ctx.catalogsDir,
    NATSTER_CATALOGS: sender.catalog,
    NATSTER_CHUNKER_THREADS: String(ctx.threads),
    NATSTER_CHUNK_SIZE: String(sender.chunkSize),
    NATSTER_CHUNKER_WINDOW: String(sender.window),
    NATSTER_LOG_LEVEL: 'warn',
  });
  try {
    const exited = chunker.done.then(() => Promise.reject(new Error('the chunker exited before it registered')));
    await Promise.race([waitForService(ctx.ownerNc, 'natster-chunker'), exited]);
    const [chunkerCpu, serverCpu] = [cpuOf(chunker.pid), cpuOf(hub.server.pid)];
    const receiver = loss ? { ...ctx.receiver, loss: loss.rate, seed: loss.seed } : ctx.receiver;
    const result = (await startRole('natster-receiver', MEDIA_NODE_FLAGS, receiver).done)!;
    const cpu = { sender: cpuOf(chunker.pid) - chunkerCpu, receiver: result.cpu, server: cpuOf(hub.server.pid) - serverCpu };
    const senderRetransmits = await chunkerRetransmits(ctx.ownerNc).catch(() => undefined);
    return { result, senderRss: peakRssOf(chunker.pid), cpu, ...(senderRetransmits === undefined ? {} : { senderRetransmits }) };
  } finally {
    chunker.kill();
    await chunker.done.catch(() => undefined);
  }
}

/** Runs a sender role, then its receiver role, each in its own process. */
async function measurePair(ctx: CaseContext, senderRole: string, receiverRole: string, override: Partial<RoleConfig> = {}): Promise<Measurement> {
  const sender = startRole(senderRole, BASELINE_NODE_FLAGS, { ...ctx.sender, ...override });
  await sender.ready;
  const serverCpu = cpuOf(ctx.hub.server.pid);
  const result = (await startRole(receiverRole, BASELINE_NODE_FLAGS, { ...ctx.receiver, ...override }).done)!;
  const sent = (await sender.done)!;
  return { result, senderRss: sent.peakRss, cpu: { sender: sent.cpu, receiver: result.cpu, server: cpuOf(ctx.hub.server.pid) - serverCpu } };
}

/** (b) The ceiling: raw nats.js publish/subscribe with the same credit window, no crypto. */
export const measureRaw = (ctx: CaseContext) => measurePair(ctx, 'raw-sender', 'raw-receiver');

/** (c) The original protocol: 4 KiB chunks, nkeys.js seal per chunk, no flow control. */
export const measureLegacy = (ctx: CaseContext, size: number) => measurePair(ctx, 'legacy-sender', 'legacy-receiver', { size, chunkSize: 4096 });
