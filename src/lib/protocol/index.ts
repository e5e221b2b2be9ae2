export * from './address';
export * from './api';
