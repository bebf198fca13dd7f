// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { FILES_PAGE_SIZE } from '../../src/features/catalog/api/get-files';
import { FileBrowser } from '../../src/features/catalog/components/file-browser';
import { server } from '../msw/server';
import { renderWithQuery } from '../render';
import { page } from '../fixtures';

afterEach(cleanup);

const TOTAL = 100_000;
/** Rendering 200 rows takes over a second on a loaded two-core machine. */
const SLOW = { timeout: 10_000 };

/** The portal's listing API over a 100,000-file catalog; records what the browser asked for. */
function listing(requests: URLSearchParams[]) {
  return http.get('/api/catalogs/music', ({ request }) => {
    const query = new URL(request.url).searchParams;
    requests.push(query);
    return HttpResponse.json(page(TOTAL, query.get('cursor'), Number(query.get('limit')), query.get('q') ?? ''));
  });
}

describe('catalog browser', () => {
  it('shows the first page of a 100,000-file catalog and pages on with the cursor', async () => {
    const requests: URLSearchParams[] = [];
    server.use(listing(requests));
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);

    await waitFor(() => expect(screen.getAllByTestId('file-row')).toHaveLength(FILES_PAGE_SIZE), SLOW);
    expect(screen.getByTestId('file-count').textContent).toBe(`${FILES_PAGE_SIZE} of 100,000 files`);
    const first = screen.getAllByTestId('file-row')[0]!;
    expect(first.textContent).toContain('music/track-00000.mp3');
    expect(first.textContent).toContain('audio/mpeg');
    expect(first.textContent).toContain('3.0 MB');
    expect(first.querySelector('a[download]')?.getAttribute('href')).toBe(`/api/media/music/${'0'.repeat(64)}?download=track-00000.mp3`);

    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(screen.getAllByTestId('file-row')).toHaveLength(2 * FILES_PAGE_SIZE), SLOW);
    expect(requests.at(-1)?.get('cursor')).toBe(String(FILES_PAGE_SIZE));
  });

  it('searches by name on the server and says when nothing matches', async () => {
    const requests: URLSearchParams[] = [];
    server.use(listing(requests));
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);
    await screen.findAllByTestId('file-row', undefined, SLOW);

    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'track-0420' } });
    await waitFor(() => expect(screen.getAllByTestId('file-row')).toHaveLength(10), SLOW);
    expect(requests.at(-1)?.get('q')).toBe('track-0420');
    expect(screen.getByTestId('file-count').textContent).toBe('10 files');
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();

    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'no-such-song' } });
    expect(await screen.findByText('No file matches “no-such-song”', undefined, SLOW)).toBeTruthy();
  });

  it('an offline catalog says so instead of showing an empty list', async () => {
    server.use(
      http.get('/api/catalogs/music', () =>
        HttpResponse.json({ error: "catalog music is offline: its owner's catalog server is not running" }, { status: 503 }),
      ),
    );
    renderWithQuery(<FileBrowser catalog="music" initialSearch="" />);
    expect((await screen.findByRole('alert')).textContent).toContain('catalog music is offline');
  });
});
