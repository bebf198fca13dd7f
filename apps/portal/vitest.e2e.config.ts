import { defineConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** The end-to-end test: real hub, real services, the built portal and Debian chromium. */
export default defineConfig({
  test: {
    ...shared.test,
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    // the first run builds the portal (next build)
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
