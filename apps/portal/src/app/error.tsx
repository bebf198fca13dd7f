'use client';
import Link from 'next/link';

/** Any page that failed: say what happened and what to try. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const offline = /offline|not answering|no responders|nothing answers|cannot connect|no hub/i.test(error.message);
  return (
    <section className="card narrow" role="alert">
      <h1>{offline ? 'Part of Natster is not answering' : 'Something went wrong'}</h1>
      <p>{offline ? error.message : 'The portal could not show this page.'}</p>
      <p className="muted">
        {offline
          ? 'If it is your catalog, start it with `natster catalog serve`. If it is your hub, check `natster hub status`.'
          : 'Try again; if it keeps failing, the portal log has the details'}
        {error.digest ? ` (reference ${error.digest}).` : '.'}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="button button-quiet">
          Back to the dashboard
        </Link>
      </div>
    </section>
  );
}
