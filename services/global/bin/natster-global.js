#!/usr/bin/env node
// natster-global [start|rebuild]: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const command = process.argv[2] ?? 'start';
const entries = { start: '../src/main.ts', rebuild: '../src/rebuild.ts' };
if (!(command in entries)) {
  process.stderr.write(`usage: natster-global [start|rebuild]\n`);
  process.exit(2);
}
await import(new URL(entries[command], import.meta.url).href);
