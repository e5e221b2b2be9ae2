import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		files: {
			serviceWorker: 'service-worker'
		},
		serviceWorker: {
			// Registered by the app itself so the page decides when (never mid-compose).
			register: false
		}
	}
};

export default config;
