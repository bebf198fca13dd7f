import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, type Account } from '@natster/claims';
import { AccountsClient, signup } from '@natster/client';
import { createLogger, type NatsConnection } from '@natster/nats';
import { RESERVED_CATALOG_NAMES, subjects } from '@natster/protocol';
import { startTestHub, type TestHub } from '@natster/testing';
import { startAuthority, type Authority } from '../src';
import { SETTLES, bootstrapCreds, signUpUser, type SignedUpUser } from './helpers';
import { damageAccount, oldImport } from './old-damage';

const quiet = createLogger('accounts', { write: () => {} });
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Answers `natster.catalog.<catalog>.get` from `owner`'s account with `marker`. */
async function serveMarker(owner: SignedUpUser, catalog: string, marker: string): Promise<void> {
  owner.nc.subscribe(`*.natster.catalog.${catalog}.get`, { callback: (_e, m) => m.respond(enc.encode(marker)) });
  await owner.nc.flush();
}

/** What answers `subject` for `nc`, or the error; polled because a pushed JWT takes effect asynchronously. */
const answer = (nc: NatsConnection, subject: string) =>
  nc.request(subject, enc.encode('{}'), { timeout: 1000 }).then(
    (m) => dec.decode(m.data),
    (e: Error) => e.message,
  );

describe('imports are identified by owner and subjects, never by a name someone else chose', () => {
  let th: TestHub;
  let authority: Authority;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    th = await startTestHub();
    authority = await startAuthority({ hubDir: th.dir, logger: quiet, eventRetryDelaysMs: [] });
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await th?.stop();
  });

  it('refuses to import a catalog with a reserved name, so it cannot replace a standard import', async () => {
    const sharer = await signUpUser(th, 'sharer', connections);
    const victim = await signUpUser(th, 'victim', connections);
    const client = new AccountsClient(victim.nc);
    for (const name of ['global', 'accounts', 'global-events', 'local']) {
      expect(RESERVED_CATALOG_NAMES).toContain(name);
      await expect(client.importCatalog(name, sharer.account)).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/reserves/) });
    }
    // the victim's account still reaches the authority and is intact
    expect(await client.get()).toMatchObject({ damaged: [], imports: [{ catalog: 'hub', alias: 'hub' }] });
  });

  it('films and films_media of one owner and films of a second owner coexist, each at its own alias', async () => {
    const first = await signUpUser(th, 'first-owner', connections);
    const second = await signUpUser(th, 'second-owner', connections);
    const friend = await signUpUser(th, 'two-films-friend', connections);
    await serveMarker(first, 'films', 'first films');
    await serveMarker(first, 'films_media', 'first films_media');
    await serveMarker(second, 'films', 'second films');
    const client = new AccountsClient(friend.nc);

    await client.importCatalog('films', first.account);
    await client.importCatalog('films_media', first.account);
    const both = await client.importCatalog('films', second.account);
    const secondAlias = `films~${second.account.slice(0, 8)}`;
    expect(both.imports).toEqual(
      expect.arrayContaining([
        { catalog: 'films', owner: first.account, alias: 'films' },
        { catalog: 'films_media', owner: first.account, alias: 'films_media' },
        { catalog: 'films', owner: second.account, alias: secondAlias },
      ]),
    );
    expect(both.damaged).toEqual([]);
    // every catalog keeps both halves of its pair: films_media did not replace the media import of films
    const locals = decodeJwt<Account>(both.jwt).nats.imports?.map((i) => i.local_subject);
    expect(locals).toEqual(expect.arrayContaining(['natster.media.films.>', 'natster.media.films_media.>', `natster.media.${secondAlias}.>`]));

    await expect.poll(() => answer(friend.nc, subjects.catalog(secondAlias, 'get')), SETTLES).toBe('second films');
    expect(await answer(friend.nc, subjects.catalog('films', 'get'))).toBe('first films');
    expect(await answer(friend.nc, subjects.catalog('films_media', 'get'))).toBe('first films_media');

    // media streams arrive at the alias of their owner's catalog
    const received: string[] = [];
    friend.nc.subscribe('natster.media.>', { callback: (_e, m) => received.push(`${m.subject} ${dec.decode(m.data)}`) });
    await friend.nc.flush();
    first.nc.publish(`${friend.account}.natster.media.films.t1`, enc.encode('from first'));
    second.nc.publish(`${friend.account}.natster.media.films.t1`, enc.encode('from second'));
    await expect.poll(() => received.sort(), SETTLES).toEqual(['natster.media.films.t1 from first', `natster.media.${secondAlias}.t1 from second`]);

    // unimporting the first owner's films leaves the second's and films_media working
    const after = await client.unimportCatalog('films', first.account);
    expect(after.imports).not.toContainEqual(expect.objectContaining({ owner: first.account, catalog: 'films' }));
    expect(after.damaged).toEqual([]);
    await expect.poll(() => answer(friend.nc, subjects.catalog('films', 'get')), SETTLES).toMatch(/503|no responders/i);
    expect(await answer(friend.nc, subjects.catalog(secondAlias, 'get'))).toBe('second films');
    expect(await answer(friend.nc, subjects.catalog('films_media', 'get'))).toBe('first films_media');
  });

  it('accounts.repair restores the global import an old catalog named global deleted, keeping the catalog', async () => {
    const sharer = await signUpUser(th, 'global-sharer', connections);
    const victim = await signUpUser(th, 'global-victim', connections);
    const global = await th.connectAs('NATSTER_GLOBAL');
    global.subscribe('*.natster.global.whoami', { callback: (_e, m) => m.respond(enc.encode('global answers')) });
    await global.flush();
    expect(await answer(victim.nc, subjects.global('whoami'))).toBe('global answers');

    await damageAccount(th, victim.account, (imports) => oldImport(imports, victim.account, 'global', sharer.account));
    await expect.poll(() => answer(victim.nc, subjects.global('whoami')), SETTLES).toMatch(/503|no responders/i);
    const client = new AccountsClient(victim.nc);
    expect((await client.get()).damaged).toEqual([{ import: 'global', problem: 'missing' }]);

    const repaired = await client.repair();
    expect(repaired.repaired).toEqual([{ import: 'global', problem: 'missing' }]);
    expect(repaired.damaged).toEqual([]);
    expect(repaired.imports).toContainEqual({ catalog: 'global', owner: sharer.account, alias: 'global' });
    await expect.poll(() => answer(victim.nc, subjects.global('whoami')), SETTLES).toBe('global answers');
    // a second repair has nothing to do; a later catalog edit keeps the standard imports
    expect((await client.repair()).repaired).toEqual([]);
    expect((await client.unimportCatalog('global', sharer.account)).damaged).toEqual([]);
    await global.close();
  });

  it('signup on an existing account restores the authority import an old catalog named accounts deleted', async () => {
    const sharer = await signUpUser(th, 'accounts-sharer', connections);
    const victim = await signUpUser(th, 'accounts-victim', connections);
    await damageAccount(th, victim.account, (imports) => oldImport(imports, victim.account, 'accounts', sharer.account));
    const client = new AccountsClient(victim.nc, 1500);
    // the account can no longer reach the authority through its own import
    await expect.poll(() => client.get().then(() => 'reachable', (e: Error) => e.message), SETTLES).toMatch(/not answering/);

    const again = await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: victim.accountSeed });
    expect(again).toMatchObject({ account: victim.account, created: false, repaired: [{ import: 'accounts', problem: 'missing' }] });
    await expect.poll(() => client.get().then((r) => r.damaged, (e: Error) => e.message), SETTLES).toEqual([]);
    expect((await client.get()).imports).toContainEqual({ catalog: 'accounts', owner: sharer.account, alias: 'accounts' });
  });
});
