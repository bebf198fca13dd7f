// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard } from '../../src/features/dashboard/components/dashboard';
import { dashboardKey } from '../../src/features/dashboard/api/get-dashboard';
import type { EventView } from '../../src/features/dashboard/types';
import { encodeEvent } from '../../src/lib/sse';
import { server } from '../msw/server';
import { renderWithQuery } from '../render';
import { FRIEND, ME, dashboard } from '../fixtures';

afterEach(cleanup);

/** An /api/events response the test writes to, like the portal's SSE route. */
function eventStream() {
  const enc = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: () => new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } }),
    send: (event: EventView) => controller.enqueue(enc.encode(encodeEvent('natster', event))),
  };
}

const shared: EventView = { id: 'e1e1e1e1e1', type: 'catalog_shared', time: '2026-11-23T12:00:00.000Z', origin: FRIEND, target: ME, catalog: 'films' };

describe('dashboard', () => {
  it('renders the server data at once, with empty states that say what to do', () => {
    server.use(http.get('/api/events', () => eventStream().response()));
    renderWithQuery(<Dashboard />, [[dashboardKey, dashboard()]]);
    expect(screen.getByRole('heading', { name: 'Mia' })).toBeTruthy();
    expect(screen.getByTestId('stat-accounts_initialized').textContent).toBe('3');
    expect(screen.getByTestId('shared-hub').textContent).toContain('online');
    expect(screen.getByText('You have not shared a catalog yet')).toBeTruthy();
    expect(screen.getByText('Quiet so far')).toBeTruthy();
  });

  it('a share made elsewhere shows up live, without a reload', async () => {
    const events = eventStream();
    let after = false;
    server.use(
      http.get('/api/events', () => events.response()),
      http.get('/api/dashboard', () =>
        HttpResponse.json(dashboard(after ? { pending: [{ catalog: 'films', owner: FRIEND, sharedAt: shared.time }], events: [shared] } : {})),
      ),
    );
    renderWithQuery(<Dashboard />, [[dashboardKey, dashboard()]]);
    await waitFor(() => expect(screen.getByTestId('live-state').textContent).toBe('live'));
    expect(screen.queryByTestId('pending-films')).toBeNull();

    after = true;
    await act(async () => events.send(shared));
    const row = await screen.findByTestId('pending-films');
    expect(within(row).getByRole('button', { name: 'Import' })).toBeTruthy();
    expect(screen.getAllByTestId('event')[0]?.textContent).toContain('films');
  });

  it('the Import button imports the share and says so; a refusal is shown with its reason', async () => {
    const imports: unknown[] = [];
    server.use(
      http.get('/api/events', () => eventStream().response()),
      http.get('/api/dashboard', () => HttpResponse.json(dashboard({ pending: [{ catalog: 'films', owner: FRIEND, sharedAt: null }, { catalog: 'gone', owner: FRIEND, sharedAt: null }] }))),
      http.post('/api/imports', async ({ request }) => {
        const body = (await request.json()) as { catalog: string };
        imports.push(body);
        return body.catalog === 'gone'
          ? HttpResponse.json({ error: 'catalog gone is no longer shared with you' }, { status: 403 })
          : HttpResponse.json({ imported: true });
      }),
    );
    renderWithQuery(<Dashboard />, [[dashboardKey, dashboard({ pending: [{ catalog: 'films', owner: FRIEND, sharedAt: null }, { catalog: 'gone', owner: FRIEND, sharedAt: null }] })]]);

    fireEvent.click(within(screen.getByTestId('pending-films')).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(within(screen.getByTestId('pending-films')).getByRole('button').textContent).toBe('Imported'));
    expect(imports[0]).toEqual({ catalog: 'films', owner: FRIEND });

    fireEvent.click(within(screen.getByTestId('pending-gone')).getByRole('button', { name: 'Import' }));
    expect((await within(screen.getByTestId('pending-gone')).findByRole('alert')).textContent).toContain('no longer shared with you');
  });

  it('when the event stream drops it says so and reconnects', async () => {
    let calls = 0;
    server.use(
      http.get('/api/events', () => (++calls === 1 ? HttpResponse.json({ error: 'hub restarting' }, { status: 503 }) : eventStream().response())),
    );
    renderWithQuery(<Dashboard />, [[dashboardKey, dashboard()]]);
    await waitFor(() => expect(screen.getByTestId('live-state').textContent).toBe('reconnecting…'));
    await waitFor(() => expect(screen.getByTestId('live-state').textContent).toBe('live'), { timeout: 5000 });
    expect(calls).toBe(2);
  });
});
