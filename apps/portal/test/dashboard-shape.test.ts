import { describe, expect, it } from 'vitest';
import type { ShareView } from '@natster/protocol';
import { shapeShares } from '../src/server/dashboard-shape';
import { FRIEND, HUB, ME } from './fixtures';

const share = (fields: Partial<ShareView>): ShareView => ({
  owner: ME,
  target: FRIEND,
  catalog: 'films',
  shared: true,
  shared_at: '2026-11-23T12:00:00.000Z',
  imported: false,
  imported_at: null,
  online: true,
  revision: 3,
  ...fields,
});

describe('shapeShares', () => {
  it('groups my shares by catalog, lists what my account imports, and keeps unimported shares pending', () => {
    const other = 'A' + 'O'.repeat(55);
    const lists = shapeShares(
      ME,
      [
        share({}),
        share({ target: other }),
        share({ catalog: 'unshared', shared: false, target: other, online: false, revision: null }),
        share({ owner: FRIEND, target: ME, catalog: 'songs', imported: true, online: false }),
        share({ owner: other, target: ME, catalog: 'waiting' }),
      ],
      [
        { catalog: 'hub', owner: HUB, alias: 'hub' },
        { catalog: 'songs', owner: FRIEND, alias: 'songs' },
      ],
    );
    expect(lists.myCatalogs).toEqual([
      { catalog: 'films', online: true, revision: 3, sharedWith: [FRIEND, other] },
      { catalog: 'unshared', online: false, revision: null, sharedWith: [] },
    ]);
    expect(lists.sharedWithMe).toEqual([
      { catalog: 'hub', alias: 'hub', owner: HUB, online: null, revision: null },
      { catalog: 'songs', alias: 'songs', owner: FRIEND, online: false, revision: 3 },
    ]);
    expect(lists.pending).toEqual([{ catalog: 'waiting', owner: other, sharedAt: '2026-11-23T12:00:00.000Z' }]);
  });
});
