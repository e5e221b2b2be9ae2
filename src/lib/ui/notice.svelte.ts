// A one-line confirmation carried across a page change ("Sent to bob@example.org").
import { session } from './app-session';

export const notice = $state({ text: '' });

// It may name a recipient or a subject: nothing of it stays once the key is locked.
session.on('locked', () => {
	notice.text = '';
});
