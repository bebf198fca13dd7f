import { createRequire } from 'node:module';

/** qrcode-terminal ships no types; this is the one call we use. */
const qrcode = createRequire(import.meta.url)('qrcode-terminal') as {
  generate(text: string, options: { small: boolean }, done: (code: string) => void): void;
};

/** `text` as a QR code of terminal block characters (generate calls back synchronously). */
export function terminalQr(text: string): string {
  let drawn = '';
  qrcode.generate(text, { small: true }, (code: string) => (drawn = code));
  return drawn;
}
