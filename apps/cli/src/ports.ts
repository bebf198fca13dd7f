import { createServer } from 'node:net';

/** Whether nothing listens on host:port yet. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `preferred` if free, else the next free port above it (within 100), else null. */
export async function firstFreePort(host: string, preferred: number): Promise<number | null> {
  for (let port = preferred; port < preferred + 100 && port <= 65535; port++) {
    if (await isPortFree(host, port)) return port;
  }
  return null;
}
