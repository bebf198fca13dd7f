import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface OwnChunker {
  /** Stops the chunker and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `natster chunker` for the same context and catalogs as a child
 * process, so one `catalog serve` is enough to share and download; it takes
 * only transfers of those catalogs, so stopping this serve never cuts a
 * download of a catalog another serve runs. It stays its own process
 * (the catalog server reaches it only through NATS, like any other chunker)
 * and exits with its parent, even one killed outright (the IPC channel
 * closes). Resolves once the chunker says it is ready.
 */
export function startOwnChunker(context: string, threads: number | undefined, log: (line: string) => void, catalogs: readonly string[]): Promise<OwnChunker> {
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    'chunker',
    '--context',
    context,
    ...catalogs.flatMap((name) => ['--catalog', name]),
    ...(threads ? ['--threads', String(threads)] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;

  return new Promise((resolve, reject) => {
    let ready = false;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!ready && line.startsWith('chunker ready')) {
        ready = true;
        resolve({
          async stop() {
            stopping = true;
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      } else log(line);
    });
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`the chunker did not start (exit ${code ?? signal}); run \`natster chunker\` to see why, or serve with --no-chunker`));
      else if (!stopping) log(`the chunker stopped (exit ${code ?? signal}): downloads answer 503 until you run \`natster chunker\``);
    });
  });
}
