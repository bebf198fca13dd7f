#!/usr/bin/env node
// The installed `natster` command: the CLI runs from TypeScript source
// (just-in-time packages), so register tsx before loading it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
