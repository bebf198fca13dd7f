export * from './paths';
export * from './context';
