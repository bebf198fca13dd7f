import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentSession } from '@/server/current-session';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Natster', template: '%s · Natster' },
  description: 'Your media, shared with the people you choose, straight from your own machines.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession().catch(() => null);
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden>
              ◆
            </span>{' '}
            Natster
          </Link>
          {session ? (
            <form action="/signout" method="post">
              <button type="submit" className="button button-quiet">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        <main className="main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
