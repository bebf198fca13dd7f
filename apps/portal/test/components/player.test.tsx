// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { Player } from '../../src/features/player/components/player';
import { server } from '../msw/server';
import { renderWithQuery } from '../render';

afterEach(cleanup);

const SRC = `/api/media/hub/${'a'.repeat(64)}`;

describe('player', () => {
  it('a video streams from the file’s media route, saying "Connecting…" until the browser can play it', () => {
    renderWithQuery(<Player src={SRC} mimeType="video/mp4" title="demo.mp4" catalog="hub" />);
    const video = screen.getByLabelText<HTMLVideoElement>('demo.mp4');
    expect(video.tagName).toBe('VIDEO');
    expect(video.getAttribute('src')).toBe(SRC);
    expect(screen.getByTestId('player').dataset.state).toBe('loading');
    expect(screen.getByText(/Connecting to the owner’s catalog/)).toBeTruthy();
    fireEvent(video, new Event('canplay'));
    expect(screen.getByTestId('player').dataset.state).toBe('ready');
    expect(screen.queryByText(/Connecting/)).toBeNull();
  });

  it('a stream that fails for another reason than "offline" says what probably happened and what to do', async () => {
    server.use(http.get(SRC, () => HttpResponse.json({ error: 'catalog hub is not shared with you' }, { status: 403 })));
    renderWithQuery(<Player src={SRC} mimeType="audio/mpeg" title="song.mp3" catalog="hub" />);
    fireEvent(document.querySelector('audio')!, new Event('error'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/share may have been withdrawn.*download it/);
  });

  it('images are shown inline', () => {
    renderWithQuery(<Player src={SRC} mimeType="image/png" title="cover.png" catalog="hub" />);
    expect(screen.getByRole('img', { name: 'cover.png' }).getAttribute('src')).toBe(SRC);
  });

  it('text is previewed from its first bytes with one Range request', async () => {
    let range: string | null = null;
    server.use(
      http.get(SRC, ({ request }) => {
        range = request.headers.get('range');
        return new HttpResponse('hello from the catalog', { status: 206, headers: { 'content-range': 'bytes 0-21/200000', 'content-type': 'text/plain' } });
      }),
    );
    renderWithQuery(<Player src={SRC} mimeType="text/plain" title="notes.txt" catalog="hub" />);
    expect((await screen.findByTestId('text-preview')).textContent).toBe('hello from the catalog');
    expect(range).toBe('bytes=0-65535');
    expect(screen.getByText(/Showing the first 64 KB/)).toBeTruthy();
  });

  it('a text preview that fails shows the reason', async () => {
    server.use(http.get(SRC, () => HttpResponse.json({ error: 'catalog hub is offline' }, { status: 503 })));
    renderWithQuery(<Player src={SRC} mimeType="text/markdown" title="README.md" catalog="hub" />);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('catalog hub is offline'));
  });

  it('other types offer the download only', () => {
    renderWithQuery(<Player src={SRC} mimeType="application/zip" title="a.zip" catalog="hub" />);
    expect(screen.getByText(/No preview for application\/zip/)).toBeTruthy();
  });
});
