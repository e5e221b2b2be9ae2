/** What new-mail notifications and their settings say. A translation replaces these values,
 * never the keys. */
export const notificationsText = {
	heading: 'New mail notifications',
	enable: 'Notify me of new mail while Letterlock is in the background',
	contentLegend: 'What the notification shows',
	contentNothing: 'Only “New message”',
	contentSenderAndSubject: 'The sender and subject (your system may show them on the lock screen)',
	unsupported:
		'This browser cannot show notifications. New mail still appears in the inbox by itself.',
	permissionRefused:
		'The browser did not allow notifications for Letterlock. Allow them in the site settings of your browser, then turn this on again.',

	newMessage: 'New message',
	newMessageFrom: (sender: string) => `New message from ${sender}`,
	noSubject: '(no subject)'
};
