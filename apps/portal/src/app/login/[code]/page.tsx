import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

/**
 * The link `natster login` prints. Opening it claims nothing: chat apps and
 * mail scanners fetch links to preview them, which would use up a one-time
 * code. The person signs in with the button, which posts to `claim`.
 */
export default async function ClaimPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return (
    <section className="card narrow signin">
      <h1>Sign in to Natster</h1>
      <p>
        This one-time link came from <code>natster login</code> on your machine. It works once, for a few minutes.
      </p>
      <form method="post" action={`/login/${encodeURIComponent(code)}/claim`}>
        <button type="submit" className="button" data-testid="claim-signin" autoFocus>
          Sign in
        </button>
      </form>
      <p className="muted">Did not run <code>natster login</code> yourself? Close this page.</p>
    </section>
  );
}
