import { defineConfig } from 'vitest/config';

/** Shared by every package: real servers take a moment to start, so timeouts are generous. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
