import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';

/** Renders with a fresh query client (no retries: errors show at once), optionally pre-filled like a server render. */
export function renderWithQuery(ui: ReactElement, seed: [readonly unknown[], unknown][] = []) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  for (const [key, data] of seed) client.setQueryData(key, data);
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}
