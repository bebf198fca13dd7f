import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './errors';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** One module per command group; each exports `register(program)`. Add yours here (one line). */
const groups = [
  await import('./commands/init'),
  await import('./commands/whoami'),
  await import('./commands/doctor'),
  await import('./commands/hub'),
  await import('./commands/login'),
  await import('./commands/stats'),
  await import('./commands/catalog'),
  await import('./commands/chunker'),
  await import('./commands/context'),
];

function buildProgram(): Command {
  const program = new Command('natster')
    .description('Share media securely between people, over nothing but NATS')
    .version(pkg.version, '-v, --version', 'print the natster version')
    .option('--context <name>', 'which context (identity on a hub) to use', 'default')
    .option('--json', 'print JSON for scripts instead of tables')
    .showHelpAfterError('(run with --help for usage)');
  for (const group of groups) group.register(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
