// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ErrorPage from '../../src/app/error';
import SigninPage from '../../src/app/signin/page';

afterEach(cleanup);

const signin = async (query: Record<string, string>) => render(await SigninPage({ searchParams: Promise.resolve(query) }));

describe('sign-in and error pages', () => {
  it('an expired or reused code says what happened and to run natster login again', async () => {
    await signin({ problem: 'expired' });
    const alert = screen.getByTestId('signin-problem');
    expect(alert.textContent).toContain('expired or was already used');
    expect(alert.textContent).toContain('natster login');
  });

  it('without a problem it explains how to sign in; an unknown problem is ignored', async () => {
    await signin({ problem: '<script>' });
    expect(screen.getByRole('heading', { name: 'Sign in to Natster' })).toBeTruthy();
    expect(screen.getByText('natster login')).toBeTruthy();
  });

  it('the error page tells an offline catalog from a bug and retries', () => {
    const reset = vi.fn();
    render(<ErrorPage error={new Error("catalog films is offline: its owner's catalog server is not running")} reset={reset} />);
    expect(screen.getByRole('heading').textContent).toBe('Part of Natster is not answering');
    expect(screen.getByText(/natster catalog serve/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reset).toHaveBeenCalled();
  });
});
