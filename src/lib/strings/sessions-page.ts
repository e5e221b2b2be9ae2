/** What routes/(app)/settings/sessions/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const sessionsPageStrings = {
	signedInSessionsLetterlock: 'Signed-in sessions · Letterlock',
	signedInSessions: 'Signed-in sessions',
	eachTimeThisAddress:
		'Each time this address signs in, from this browser or another device, the relay starts a session. End any you do not recognise; that device then has to unlock the key again.',
	signedInEnds: (date: string | number, date2: string | number) =>
		`Signed in ${date}, ends ${date2}`,
	thisTab: '(this tab)',
	endSession: 'End session',
	loading: 'Loading…'
};
