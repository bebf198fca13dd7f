import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './msw/server';

// msw answers only the portal's own HTTP API as components see it (happy-dom);
// anything else a component asks for fails the test. Server-side tests talk to real processes.
if (typeof window !== 'undefined') {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}
