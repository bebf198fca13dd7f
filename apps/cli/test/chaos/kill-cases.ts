import { join } from 'node:path';
import { newAccountKey } from '@natster/claims';
import { downloadLosses, inFlight, isClear, lastError, outPath, startDownload, type CaseOutcome, type ChaosCase } from './chaos-case';
import { sleep, waitUntil, type ChaosWorld } from './world';

/** How long a restarted process may take until every interrupted operation is done. */
const RECOVERY_BOUND_MS = 60_000;
/** A command that fails is run again this many times at most, 2 s apart, as a patient user would. */
const RETRIES = 3;

export const hubRestart: ChaosCase = {
  name: 'kill -9 nats-server mid-download',
  quick: true,
  async run(world) {
    const out = outPath(world, 'hub-kill.bin');
    const download = startDownload(world, 'film.bin', out);
    await inFlight(out);
    const killedAt = Date.now();
    process.kill(await world.pidOf('nats-server'), 'SIGKILL');
    await waitUntil('nats-server gone', 5_000, async () => !(await world.hubHealthy()), 20);
    // the supervisor restarts it on the same port
    const backAt = await waitUntil('nats-server back', 30_000, world.hubHealthy);
    const listedAt = await waitUntil("the owner's serve answering listings", 30_000, () => world.friendLists(1000), 100);
    const lost = await downloadLosses(world, download, 'film.bin', out);
    const ls = await world.cli(['catalog', 'ls', '--json'], world.owner);
    if (!ls.stdout.includes(world.friendAccount)) lost.push(`the share with the friend is gone from \`catalog ls\` (${lastError(ls.stderr)})`);
    return {
      lost,
      recoveryMs: listedAt - backAt,
      boundMs: 5_000,
      notes: [`nats-server back ${backAt - killedAt} ms after kill -9; listings answered ${listedAt - backAt} ms later; the download was not run again`],
    };
  },
};

/** A process killed outright, and how it comes back (as its supervisor would bring it). */
interface Victim {
  name: string;
  kill(world: ChaosWorld): Promise<void>;
  /** Resolves once it serves again. */
  back(world: ChaosWorld): Promise<void>;
}

const supervised = (name: 'global' | 'accounts', label: string): Victim => ({
  name: label,
  kill: async (world) => void process.kill(await world.pidOf(name), 'SIGKILL'),
  // the hub's supervisor restarts it (0.5 s back-off at first)
  back: async (world) => void (await waitUntil(`${label} restarted by the supervisor`, 60_000, world.servicesUp, 250)),
});

const victims: Victim[] = [
  {
    name: 'catalog server',
    // its chunker child exits with it (its IPC channel closes)
    kill: async (world) => void process.kill(world.serving.child.pid!, 'SIGKILL'),
    back: async (world) => void (await sleep(500), await world.restartServe()),
  },
  {
    name: 'chunker',
    kill: async (world) => void process.kill(await world.pidOf('chunker'), 'SIGKILL'),
    back: async (world) => void (await sleep(500), await world.startChunker()),
  },
  supervised('global', 'global service'),
  supervised('accounts', 'authority'),
];

interface Attempts {
  ok: boolean;
  tries: number;
  /** What the command told the user on its way to success (e.g. that it sent the request again). */
  said: string;
  /** The failures a user saw before it worked, and whether each told them what happened. */
  failures: { message: string; clear: boolean }[];
}

/** Runs a command as a user would: when it fails, reads the message and tries again. */
async function patiently(world: ChaosWorld, args: string[], env: Record<string, string>): Promise<Attempts> {
  const failures: Attempts['failures'] = [];
  for (let tries = 1; ; tries++) {
    const r = await world.cli(args, env, { timeoutMs: 90_000 });
    if (r.code === 0) return { ok: true, tries, failures, said: r.stderr.trim().split('\n').filter((l) => !l.startsWith('{')).join(' / ') };
    failures.push({ message: lastError(r.stderr), clear: isClear(r.stderr) });
    if (tries > RETRIES) return { ok: false, tries, failures, said: '' };
    await sleep(2_000);
  }
}

function judge(what: string, attempts: Attempts, lost: string[], notes: string[]): void {
  const unclear = attempts.failures.filter((f) => !f.clear);
  if (!attempts.ok) lost.push(`${what} failed ${attempts.tries} times: ${attempts.failures.at(-1)?.message}`);
  for (const f of unclear) lost.push(`${what} failed without a clear message: ${f.message}`);
  const said = attempts.said ? ` (it said: ${attempts.said.slice(0, 200)})` : '';
  notes.push(attempts.failures.length === 0 ? `${what}: completed first time${said}` : `${what}: retry ${attempts.ok ? 'succeeded' : 'failed'} after "${attempts.failures[0]!.message}"${said}`);
}

function killDuringOperations(victim: Victim): ChaosCase {
  return {
    name: `kill -9 ${victim.name} during a download, a share and a signup`,
    quick: victim.name !== 'chunker' && victim.name !== 'catalog server',
    async run(world): Promise<CaseOutcome> {
      const slug = victim.name.replaceAll(' ', '-');
      const out = outPath(world, `${slug}.bin`);
      const download = startDownload(world, 'film.bin', out);
      await inFlight(out);
      const killedAt = Date.now();
      await victim.kill(world);
      // the share and the signup start while the victim is down
      const target = newAccountKey().publicKey;
      const signupEnv = { NATSTER_HOME: join(world.tmp, `signup-${slug}`), NATSTER_HUB_DIR: world.owner.NATSTER_HUB_DIR! };
      const [share, signup] = [patiently(world, ['catalog', 'share', 'films', target], world.owner), patiently(world, ['init', '--name', `Chaos ${victim.name}`, '--json'], signupEnv)];
      await victim.back(world);
      const backAt = Date.now();
      const lost = await downloadLosses(world, download, 'film.bin', out);
      const notes = [`${victim.name} back ${backAt - killedAt} ms after kill -9`];
      judge('share', await share, lost, notes);
      judge('signup', await signup, lost, notes);
      const doneAt = Date.now();
      // nothing the operations did may be lost: the share is on record, the new account works
      const ls = await world.cli(['catalog', 'ls', '--json'], world.owner);
      if (!ls.stdout.includes(target)) lost.push(`the share is missing from \`catalog ls\` (${lastError(ls.stderr)})`);
      const whoami = await world.cli(['whoami', '--json'], signupEnv);
      if (whoami.code !== 0) lost.push(`the new account does not work: ${lastError(whoami.stderr)}`);
      return { lost, recoveryMs: doneAt - killedAt, boundMs: RECOVERY_BOUND_MS, notes };
    },
  };
}

export const killCases: ChaosCase[] = victims.map(killDuringOperations);
