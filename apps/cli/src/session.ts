import type { Command } from 'commander';
import { connectionOf, loadContext, type NatsterContext } from '@natster/context';
import { connectNatster, onReconnects, type NatsConnection } from '@natster/nats';
import { globalsOf, type GlobalOptions } from './globals';

export interface Session extends AsyncDisposable {
  context: NatsterContext;
  nc: NatsConnection;
  options: GlobalOptions;
  close(): Promise<void>;
}

export interface SessionOptions {
  /**
   * For commands that run until stopped (serve, chunker, a download): after
   * the first connect, survive hub restarts by reconnecting forever, and
   * say on stderr when the hub is lost and when it is back. Short commands
   * leave it off and fail at once.
   */
  longRunning?: boolean;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The selected context and a connection with its creds. Fails at once with
 * a message saying what to do ("no context…: run natster init", "no hub at…");
 * a hub that is up but too busy to answer is retried a few times first.
 */
export async function openSession(cmd: Command, sessionOptions: SessionOptions = {}): Promise<Session> {
  const options = globalsOf(cmd);
  const context = await loadContext(options.context);
  const nc = await connectNatster({
    ...connectionOf(context),
    name: `natster-cli ${cmd.name()}`,
    failFast: true,
    reconnect: sessionOptions.longRunning === true,
    onConnectRetry: (r) => say(`the hub at ${context.hub_url} did not answer in time; retrying in ${r.delayMs / 1000} s (${r.attempt}/${r.of})`),
  });
  const stopReporting = sessionOptions.longRunning
    ? onReconnects(nc, {
        lost: () => say(`lost the hub at ${context.hub_url} (${new Date().toLocaleTimeString()}), reconnecting`),
        back: (_server, afterMs) => say(`reconnected after ${(afterMs / 1000).toFixed(1)} s`),
      })
    : () => undefined;
  const close = async () => {
    stopReporting();
    if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
  };
  return { context, nc, options, close, [Symbol.asyncDispose]: close };
}

/** Runs `work` inside a session and always closes it. */
export async function withSession<T>(cmd: Command, work: (session: Session) => Promise<T>, sessionOptions: SessionOptions = {}): Promise<T> {
  const session = await openSession(cmd, sessionOptions);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
