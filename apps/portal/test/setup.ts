import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './msw/server';

// msw answers only the portal's own HTTP API; anything else fails the test.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
