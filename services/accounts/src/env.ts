import { defaultHubDir } from '@natster/hub';

/** The authority's environment, read and checked in one place. */
export interface AuthorityEnv {
  hubDir: string;
  /** NATS_URL: overrides the URL in hub.json. */
  url: string | undefined;
  /** NATSTER_CREDS: an AUTHORITY user's creds. */
  credsPath: string | undefined;
  /** NATSTER_CA_FILE: the CA a public hub's certificate chains to (default: hub.json's). */
  caFile: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): AuthorityEnv {
  const url = env.NATS_URL || undefined;
  if (url && !/^(nats|tls|wss?):\/\//.test(url)) throw new Error(`NATS_URL must be a nats:// URL, got ${JSON.stringify(url)}`);
  return { hubDir: env.NATSTER_HUB_DIR || defaultHubDir(), url, credsPath: env.NATSTER_CREDS || undefined, caFile: env.NATSTER_CA_FILE || undefined };
}
