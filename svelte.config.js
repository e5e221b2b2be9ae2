import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './src/lib/security/headers.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		files: {
			serviceWorker: 'service-worker'
		},
		// Hash mode: SvelteKit puts the hash of its inline boot script into script-src.
		csp: { mode: 'hash', directives: CSP_DIRECTIVES },
		serviceWorker: {
			// Registered by the app itself so the page decides when (never mid-compose).
			register: false
		}
	}
};

export default config;
