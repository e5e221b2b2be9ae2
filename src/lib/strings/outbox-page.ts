/** What routes/(app)/outbox/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const outboxPageStrings = {
	waitingToSend: 'Waiting to send',
	notSent: 'Not sent',
	noSubject: '(no subject)',
	cannotBeReadOn: '(cannot be read on this device)',
	cancelledTheMessageAnd: (value: string | number) =>
		`Cancelled: the message and its queued attachment blocks were removed from this device.${value}`,
	outboxLetterlock: 'Outbox · Letterlock',
	outbox: 'Outbox',
	messagesAreEncryptedBefore:
		'Messages are encrypted before they wait here. They go out by themselves, once each, as soon as the relay can be reached.',
	tryToSendNow: 'Try to send now',
	sendingOfSent: (sent: string | number, total: string | number) =>
		`Sending: ${sent} of ${total} sent…`,
	nothingIsWaitingTo: 'Nothing is waiting to be sent.',
	encryptedMessage: 'Encrypted message',
	to: (addresses: string | number) => `To ${addresses}`,
	written: (date: string | number) => `· written ${date}`,
	attachmentsUploaded: 'Attachments uploaded',
	attachments: (progress: string | number) => `Attachments: ${progress}`,
	resume: 'Resume',
	pause: 'Pause',
	cancel: 'Cancel',
	edit: 'Edit',
	discard: 'Discard',
	itsTextIsBack: ' Its text is back in the compose form as a draft.'
};
