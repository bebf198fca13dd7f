import { defineConfig } from 'vitest/config';

/**
 * Shared by every package: real servers and CLI processes take a moment to start, and
 * on a loaded 2-core machine a CLI call takes seconds; timeouts are generous because
 * tests assert behaviour, not speed (speed is measured in bench/).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
