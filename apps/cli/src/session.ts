import type { Command } from 'commander';
import { loadContext, type NatsterContext } from '@natster/context';
import { connectNatster, type NatsConnection } from '@natster/nats';
import { globalsOf, type GlobalOptions } from './globals';

export interface Session extends AsyncDisposable {
  context: NatsterContext;
  nc: NatsConnection;
  options: GlobalOptions;
  close(): Promise<void>;
}

/**
 * The selected context and a connection with its creds. Fails at once with
 * a message saying what to do ("no context…: run natster init", "no hub at…").
 */
export async function openSession(cmd: Command): Promise<Session> {
  const options = globalsOf(cmd);
  const context = await loadContext(options.context);
  const nc = await connectNatster({ servers: context.hub_url, credsPath: context.creds_path, name: `natster-cli ${cmd.name()}`, failFast: true });
  const close = async () => {
    if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
  };
  return { context, nc, options, close, [Symbol.asyncDispose]: close };
}

/** Runs `work` inside a session and always closes it. */
export async function withSession<T>(cmd: Command, work: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(cmd);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
