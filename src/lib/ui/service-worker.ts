// Registers the service worker when the browser has one. Tor Browser and some private modes
// have none, and a failed registration must never stop the app: it then delivers from the page.
// A new version never takes over by itself: it waits until the user says "Reload".
import { dev } from '$app/environment';
import { offerUpdate, setServiceWorker } from './pwa.svelte';

/** How often an open tab asks whether a new version was published. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export async function registerServiceWorker(): Promise<void> {
	if (!('serviceWorker' in navigator)) return setServiceWorker('none');
	try {
		const { Workbox } = await import('workbox-window');
		// SvelteKit builds the worker as a classic script, but serves it as a module in dev.
		const workbox = new Workbox('/service-worker.js', { type: dev ? 'module' : 'classic' });
		workbox.addEventListener('waiting', () =>
			offerUpdate(() => {
				workbox.addEventListener('controlling', () => location.reload());
				workbox.messageSkipWaiting();
			})
		);
		const registration = await workbox.register();
		setServiceWorker(registration ? 'active' : 'none');
		setInterval(() => void workbox.update().catch(() => undefined), UPDATE_CHECK_MS);
	} catch {
		setServiceWorker('none');
	}
}
