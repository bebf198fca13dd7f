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
    for (const query of [{}, { problem: '<script>' }, { problem: 'toString' }, { problem: 'constructor' }] as Record<string, string>[]) {
      await signin(query);
      expect(screen.getByRole('heading', { name: 'Sign in to Natster' }), JSON.stringify(query)).toBeTruthy();
      expect(screen.queryByTestId('signin-problem'), JSON.stringify(query)).toBeNull();
      expect(screen.queryByRole('alert'), JSON.stringify(query)).toBeNull();
      expect(screen.getByText('natster login').tagName).toBe('PRE');
      cleanup();
    }
  });

  it('the error page tells an offline catalog from a bug and retries', () => {
    const offlineReset = vi.fn();
    render(<ErrorPage error={new Error("catalog films is offline: its owner's catalog server is not running")} reset={offlineReset} />);
    expect(screen.getByRole('heading').textContent).toBe('Part of Natster is not answering');
    expect(screen.getByText(/catalog films is offline/)).toBeTruthy();
    expect(screen.getByText(/natster catalog serve/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(offlineReset).toHaveBeenCalledOnce();
    cleanup();

    // a bug: said as such, with the log reference, and its message (internals) not shown
    const bugReset = vi.fn();
    const bug = Object.assign(new TypeError("Cannot read properties of undefined (reading 'entries')"), { digest: '4242' });
    render(<ErrorPage error={bug} reset={bugReset} />);
    expect(screen.getByRole('heading').textContent).toBe('Something went wrong');
    expect(screen.getByRole('alert').textContent).not.toContain('Cannot read properties');
    expect(screen.queryByText(/natster catalog serve/)).toBeNull();
    expect(screen.getByText(/portal log has the details \(reference 4242\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(bugReset).toHaveBeenCalledOnce();
  });
});
