/** Why a sign-in link did not work, and what to do: shown on /signin?problem=… */
export const SIGNIN_PROBLEMS = {
  expired: {
    title: 'This sign-in link has expired or was already used',
    detail: 'Sign-in links work once and only for a few minutes. Run `natster login` again for a fresh one.',
  },
  foreign: {
    title: 'This sign-in link was made for another portal',
    detail: 'Run `natster login` with the context of the hub this portal belongs to.',
  },
  rejected: {
    title: 'The hub did not accept the credentials in this link',
    detail: 'They may have expired or been revoked. Run `natster login` again.',
  },
  invalid: {
    title: 'This is not a valid sign-in link',
    detail: 'Copy the whole link that `natster login` printed, or run it again.',
  },
  unavailable: {
    title: 'The hub is not answering',
    detail: 'The portal could not reach the hub’s services. Check that the hub is running (`natster hub status`) and try the link again.',
  },
} as const;
export type SigninProblem = keyof typeof SIGNIN_PROBLEMS;
