export * from './paths';
export * from './context';
export * from './context-export';
