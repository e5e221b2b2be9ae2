// A one-line confirmation carried across a page change ("Sent to bob@example.org").
import type { Session } from '$lib/client/session.svelte';
import { session } from './app-session';

export class PageNotice {
	text = $state('');

	constructor(session: Pick<Session, 'on'>) {
		// It may name a recipient or a subject: nothing of it stays once the key is locked.
		session.on('locked', () => {
			this.text = '';
		});
	}
}

export const notice = new PageNotice(session);
