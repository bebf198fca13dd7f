import { resolve } from 'node:path';
import { defaultHubDir } from '@natster/hub';

/** The local hub's data dir ($NATSTER_HUB_DIR, default ~/.natster/hub), absolute: children run elsewhere. */
export const hubDir = (): string => resolve(defaultHubDir());
