export * from './address';
export * from './api';
export * from './federation';
