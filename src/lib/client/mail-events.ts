// Listens to the relay's new-mail notices (server-sent events, docs/PROTOCOL.md) and says when
// to look for mail. A notice carries nothing but "something new"; the mailbox then lists as
// usual. Each connection needs a fresh one-time ticket, so a dropped stream is reopened here
// (with a growing pause) rather than by the browser. Polling stays on as the fallback.
import type { RelayGuard } from './mailbox.svelte';
import type { RelayClient } from './relay-client';

export interface MailEventsOptions {
	relay: RelayClient;
	address: string;
	guard: RelayGuard;
	/** Something may be new: on each notice, and on each (re)connection. */
	onMail: () => void;
	/** Whether notices are arriving right now. */
	onLive: (live: boolean) => void;
}

const MAX_PAUSE_MS = 60_000;

/** Starts listening; returns a function that stops. Does nothing where EventSource is missing. */
export function watchMailEvents(options: MailEventsOptions): () => void {
	if (typeof EventSource === 'undefined') return () => {};
	let stopped = false;
	let failures = 0;
	let source: EventSource | null = null;
	let pause: ReturnType<typeof setTimeout> | undefined;

	const retry = () => {
		failures++;
		pause = setTimeout(() => void connect(), Math.min(MAX_PAUSE_MS, 1000 * 2 ** failures));
	};

	async function connect(): Promise<void> {
		let ticket: string;
		try {
			ticket = (await options.guard(() => options.relay.eventTicket(options.address))).ticket;
		} catch {
			if (!stopped) retry();
			return;
		}
		if (stopped) return;
		const opened = new EventSource(options.relay.eventsUrl(options.address, ticket));
		source = opened;
		opened.addEventListener('ready', () => {
			failures = 0;
			options.onLive(true);
			options.onMail();
		});
		opened.addEventListener('mail', () => options.onMail());
		opened.onerror = () => {
			// The browser would retry with the same, spent ticket: reconnect with a new one instead.
			opened.close();
			source = null;
			options.onLive(false);
			if (!stopped) retry();
		};
	}

	void connect();
	return () => {
		stopped = true;
		clearTimeout(pause);
		source?.close();
		options.onLive(false);
	};
}
