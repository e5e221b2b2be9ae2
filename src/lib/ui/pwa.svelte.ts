// What the browser offers the app as an installed, offline-capable web app, as state the UI
// shows: the service worker, a waiting update, the install prompt and where data is stored.
import { storageKind } from '$lib/client/device-store';
import type { LocalDb } from '$lib/client/local-db';

/** Chromium's install prompt; not in TypeScript's DOM library. */
interface InstallPromptEvent extends Event {
	prompt(): Promise<void>;
	userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export const pwa = $state({
	/** 'none' when the browser has no service worker or refused one (Tor Browser). */
	serviceWorker: 'starting' as 'starting' | 'active' | 'none',
	/** A new version is installed and waits for the user's word. */
	updateReady: false,
	/** The browser offers to install the app (it fired `beforeinstallprompt`). */
	installable: false,
	storage: 'starting' as 'starting' | LocalDb['kind']
});

let installPrompt: InstallPromptEvent | null = null;
let takeUpdate: (() => void) | null = null;

export function watchInstallPrompt(): () => void {
	const offered = (event: Event) => {
		// Keep the browser's own mini-bar away; the app shows an "Install" button instead.
		event.preventDefault();
		installPrompt = event as InstallPromptEvent;
		pwa.installable = true;
	};
	const installed = () => {
		installPrompt = null;
		pwa.installable = false;
	};
	addEventListener('beforeinstallprompt', offered);
	addEventListener('appinstalled', installed);
	return () => {
		removeEventListener('beforeinstallprompt', offered);
		removeEventListener('appinstalled', installed);
	};
}

export async function install(): Promise<void> {
	const prompt = installPrompt;
	if (!prompt) return;
	await prompt.prompt();
	if ((await prompt.userChoice).outcome === 'accepted') {
		installPrompt = null;
		pwa.installable = false;
	}
}

/** Switches to the waiting version; the page reloads once it has taken over. */
export function applyUpdate(): void {
	takeUpdate?.();
}

export async function watchStorage(): Promise<void> {
	pwa.storage = await storageKind();
}

export function setServiceWorker(state: (typeof pwa)['serviceWorker']): void {
	pwa.serviceWorker = state;
}

export function offerUpdate(take: () => void): void {
	takeUpdate = take;
	pwa.updateReady = true;
}
