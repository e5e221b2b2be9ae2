// Registers the app-shell service worker when the browser has one. Tor Browser and some
// private modes have none, and a failed registration must never stop the app.
import { dev } from '$app/environment';

export async function registerServiceWorker(): Promise<void> {
	if (!('serviceWorker' in navigator)) return;
	try {
		const { Workbox } = await import('workbox-window');
		// SvelteKit builds the worker as a classic script, but serves it as a module in dev.
		await new Workbox('/service-worker.js', { type: dev ? 'module' : 'classic' }).register();
	} catch {
		// Offline start-up is a convenience; the app works the same without it.
	}
}
