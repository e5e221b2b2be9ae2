export * from './address';
export * from './api';
export * from './federation';
export * from './stamp';
export * from './decompression';
