#!/usr/bin/env -S node --initial-old-space-size=64 --max-semi-space-size=2
// The installed `natster` command: the CLI runs from TypeScript source
// (just-in-time packages), so register tsx before loading it. The shebang's
// flag is MEDIA_NODE_FLAGS in @natster/hub (fewer full GCs while downloading).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
