// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFLINE_RETRY_MS } from '../../src/components/offline-state';
import { FileBrowser } from '../../src/features/catalog/components/file-browser';
import { Player } from '../../src/features/player/components/player';
import { page } from '../fixtures';
import { server } from '../msw/server';
import { renderWithQuery } from '../render';

afterEach(cleanup);

const SRC = `/api/media/music/${'a'.repeat(64)}`;
const OFFLINE = { error: "catalog music is offline: its owner's catalog server is not running", reason: 'catalog_offline' };
const GLOBAL_DOWN = { error: 'the hub’s global service is not answering, so the portal cannot reach catalogs right now', reason: 'global_down' };

/** The listing API: offline until `back()` is called, then a normal page. */
function ownerComesBack(offlineBody: object) {
  let online = false;
  let requests = 0;
  server.use(
    http.get('/api/catalogs/music', ({ request }) => {
      requests++;
      const query = new URL(request.url).searchParams;
      return online ? HttpResponse.json(page(3, query.get('cursor'), Number(query.get('limit')), '')) : HttpResponse.json(offlineBody, { status: 503 });
    }),
  );
  return { back: () => (online = true), requests: () => requests };
}

describe('the offline state', () => {
  it('an offline catalog says "offline" at once, with Retry, and the list appears once Retry finds the owner back', async () => {
    const owner = ownerComesBack(OFFLINE);
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);
    const offline = await screen.findByTestId('offline-state');
    expect(offline.dataset.reason).toBe('catalog_offline');
    expect(screen.getByRole('heading', { name: 'music is offline' })).toBeTruthy();
    expect(screen.queryByText('Loading files…')).toBeNull();
    expect(owner.requests()).toBe(1); // no retries with back-off before saying so

    owner.back();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByTestId('file-row')).toHaveLength(3));
    expect(screen.queryByTestId('offline-state')).toBeNull();
  });

  it('an owner the server already found offline is shown offline from the first paint', () => {
    ownerComesBack(OFFLINE);
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" initialOffline={{ reason: 'catalog_offline', message: OFFLINE.error }} />);
    expect(screen.getByTestId('offline-state').dataset.reason).toBe('catalog_offline');
  });

  it('recovers by itself when the owner returns, without a click', async () => {
    const owner = ownerComesBack(OFFLINE);
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);
    await screen.findByTestId('offline-state');
    owner.back();
    await waitFor(() => expect(screen.getAllByTestId('file-row')).toHaveLength(3), { timeout: OFFLINE_RETRY_MS + 2_000 });
  });

  it('a down global service reads as the hub not answering, not as the catalog being offline', async () => {
    ownerComesBack(GLOBAL_DOWN);
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);
    expect((await screen.findByTestId('offline-state')).dataset.reason).toBe('global_down');
    expect(screen.getByRole('heading', { name: 'The hub is not answering' })).toBeTruthy();
    expect(screen.queryByText(/music is offline/)).toBeNull();
  });

  it('the player shows the same offline state above the video, and plays again after Retry', async () => {
    let online = false;
    server.use(
      http.get(SRC, () =>
        online ? new HttpResponse(new Uint8Array([0]), { status: 206, headers: { 'content-range': 'bytes 0-0/1000' } }) : HttpResponse.json(OFFLINE, { status: 503 }),
      ),
    );
    renderWithQuery(<Player src={SRC} mimeType="video/mp4" title="clip.mp4" catalog="music" />);
    const first = document.querySelector('video')!;
    fireEvent(first, new Event('error'));
    const offline = await screen.findByTestId('offline-state');
    expect(screen.getByRole('heading', { name: 'music is offline' })).toBeTruthy();
    // before the player in the page, so it is seen without scrolling
    expect(offline.compareDocumentPosition(screen.getByTestId('player')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    online = true;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByTestId('offline-state')).toBeNull());
    expect(screen.getByTestId('player').dataset.state).toBe('loading');
    expect(document.querySelector('video')).not.toBe(first); // a fresh element asks for the media again
  });

  it('a text preview of an offline catalog shows the same offline state', async () => {
    server.use(http.get(SRC, () => HttpResponse.json(OFFLINE, { status: 503 })));
    renderWithQuery(<Player src={SRC} mimeType="text/plain" title="notes.txt" catalog="music" />);
    expect((await screen.findByTestId('offline-state')).dataset.reason).toBe('catalog_offline');
  });
});
