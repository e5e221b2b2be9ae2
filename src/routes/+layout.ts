// The app runs entirely in the browser: keys live in IndexedDB and a Web Worker, so there is
// nothing for the server to render. The relay API routes are unaffected.
export const ssr = false;
