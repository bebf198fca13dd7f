import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workspace libs ship TypeScript source ("just-in-time" packages).
  transpilePackages: ['@natster/client', '@natster/crypto', '@natster/nats', '@natster/protocol', '@natster/claims', '@natster/hub'],
  // Native or worker-based packages stay plain Node requires.
  serverExternalPackages: ['sodium-native', 'nats', 'piscina', 'nkeys.js'],
  // Resolve the monorepo's hoisted node_modules and sibling packages.
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
