import type { Metadata } from 'next';
import { SIGNIN_PROBLEMS, type SigninProblem } from '@/features/signin/problems';

export const metadata: Metadata = { title: 'Sign in' };

function isProblem(value: unknown): value is SigninProblem {
  // Own keys only: `in` would take "toString" from the prototype as a problem.
  return typeof value === 'string' && Object.hasOwn(SIGNIN_PROBLEMS, value);
}

export default async function SigninPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { problem, signed_out: signedOut } = await searchParams;
  const trouble = isProblem(problem) ? SIGNIN_PROBLEMS[problem] : null;
  return (
    <section className="card narrow signin">
      {trouble ? (
        <div role="alert" className="notice notice-error" data-testid="signin-problem">
          <h1>{trouble.title}</h1>
          <p>{trouble.detail}</p>
        </div>
      ) : (
        <h1>{signedOut ? 'You are signed out' : 'Sign in to Natster'}</h1>
      )}
      <p>The portal never asks for a password. Your keys stay on your machine; sign in from the command line:</p>
      <pre className="command">natster login</pre>
      <p className="muted">
        It prints a one-time link (valid for a few minutes) and opens it here. Add <code>--qr</code> to scan it with your phone.
      </p>
    </section>
  );
}
