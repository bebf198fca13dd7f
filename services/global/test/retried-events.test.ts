import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalClient } from '@natster/client';
import { eventually, shareEvent, startFixture, type Fixture } from './fixture';

describe('putEventRetrying: a share or unshare that timed out is never reported as failed when it was applied', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ instances: 0 });
  });
  afterAll(async () => f?.stop());

  it('a late-applied first try: the retry is answered as a duplicate and the event is in the log once', async () => {
    const first = await f.startInstance();
    const owner = await f.user('late-owner');
    const friend = await f.user('late-friend');
    const unshare = shareEvent('catalog_unshared', owner.user.account, friend.user.account, 'films');
    const applied = await owner.client.putEvent(unshare); // as if its reply had been lost to a timeout
    expect(await owner.client.putEventRetrying(unshare)).toEqual({ seq: applied.seq, duplicate: true });
    await first.stop();
  });

  it('a global service that is down and comes back: the same event is sent again until it is answered', async () => {
    const owner = await f.user('retry-owner');
    const friend = await f.user('retry-friend');
    const patient = new GlobalClient(owner.nc, 500);
    const retries: number[] = [];
    const share = shareEvent('catalog_shared', owner.user.account, friend.user.account, 'films');
    // enough attempts (20 s) for an instance to start on a loaded machine
    const put = patient.putEventRetrying(share, (attempt) => retries.push(attempt), 40);
    await eventually(async () => retries.length, (n) => n >= 2);
    await f.startInstance();
    expect((await put).duplicate).toBe(false);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    const shares = await eventually(() => owner.client.myShares(), (s) => s.length === 1);
    expect(shares[0]).toMatchObject({ catalog: 'films', target: friend.user.account, shared: true });
  });
});
