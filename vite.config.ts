import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	test: {
		include: [
			'tests/unit/**/*.test.ts',
			'tests/relay/**/*.test.ts',
			'tests/cli/**/*.test.ts',
			'tests/interop/**/*.test.ts',
			'tests/security/**/*.test.ts',
			'tests/storage/**/*.test.ts'
		],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// The relay tests start real servers on loopback ports; keep parallelism modest on 2 cores.
		maxWorkers: 2
	}
});
