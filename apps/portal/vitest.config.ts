import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** Unit and component tests; components run in happy-dom, server modules in node. */
export default mergeConfig(
  shared,
  defineConfig({
    resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
    oxc: { jsx: { runtime: 'automatic' } },
    test: {
      include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
      exclude: ['test/e2e/**'],
      setupFiles: ['test/setup.ts'],
    },
  }),
);
