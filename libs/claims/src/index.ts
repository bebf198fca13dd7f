export * from './jwt';
export * from './limits';
export * from './natster-claims';
