import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '@natster/nats';

const run = promisify(execFile);

/** The hub's demo catalog: name, description, and the files it starts with. */
export const DEMO_CATALOG = {
  name: 'hub',
  description: 'Natster demo catalog: a test-pattern video, a tone and a README, made on this machine',
} as const;

const README = `Welcome to Natster.

This is the hub's demo catalog. Its files were generated on the hub machine
with ffmpeg (nothing was downloaded), and every account imports it at signup:

  natster catalog contents hub
  natster catalog ls

Make your own catalog with \`natster catalog new NAME "DESCRIPTION" PATH\`,
share it with \`natster catalog share NAME ACCOUNT\`, and keep
\`natster catalog serve NAME\` running while friends browse it.
`;

/** ffmpeg jobs: output file and arguments (lavfi sources, so no input files). */
const MEDIA = [
  {
    file: 'test-pattern.mp4',
    // ~10 s 320x240 H.264 + AAC with a 440 Hz tone; faststart so players can start before the end arrives.
    args: ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', '10', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-c:a', 'aac', '-b:a', '96k', '-shortest', '-movflags', '+faststart'],
  },
  {
    file: 'arpeggio.mp3',
    // ~6 s rising arpeggio (A3, C#4, E4, A4 ...), MP3 so every browser plays it.
    args: ['-f', 'lavfi', '-i', "aevalsrc=0.4*sin(2*PI*220*pow(2\\,floor(t*2)/3)*t):s=44100:d=6", '-c:a', 'libmp3lame', '-b:a', '128k'],
  },
] as const;

/**
 * Fills `dir` with the demo files if it is empty (first start of the hub).
 * Without ffmpeg only the README is made, and the log says what to install.
 * Returns the files it created.
 */
export async function ensureDemoFiles(dir: string, options: { logger: Logger; ffmpeg?: string }): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) return [];
  const made: string[] = [];
  await writeFile(join(dir, 'README.txt'), README);
  made.push('README.txt');
  const ffmpeg = options.ffmpeg ?? 'ffmpeg';
  for (const { file, args } of MEDIA) {
    const tmp = join(dir, `.${file}.partial${file.slice(file.lastIndexOf('.'))}`);
    try {
      await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, tmp], { timeout: 60_000 });
      await rename(tmp, join(dir, file));
      made.push(file);
    } catch (err) {
      await rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        options.logger.warn('ffmpeg not found: the demo catalog has only its README. Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) and empty the demo folder to regenerate it', { dir });
        break;
      }
      options.logger.error('ffmpeg failed to make a demo file', { file, error: err });
    }
  }
  options.logger.info('demo catalog files created', { dir, files: made });
  return made;
}
