/** What lib/ui/ComposeForm.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const composeFormStrings = {
	yourDraftIsBack: 'Your draft is back.',
	draftSavedOnThis: 'Draft saved on this device, encrypted.',
	theDraftCouldNot: (reason: string | number) => `The draft could not be saved: ${reason}`,
	addAtLeastOne: 'Add at least one recipient.',
	lookingUpYourRecipients: 'Looking up your recipients’ keys…',
	nothingWasSentFix: 'Nothing was sent. Fix the recipients marked above first.',
	encryptingAndSending: 'Encrypting and sending…',
	encryptingTheAttachments: (progress: string | number) =>
		`Encrypting the attachments: ${progress}`,
	nothingWasSentYou: 'Nothing was sent: you stopped it. Your draft is kept; send it when you like.',
	nothingWasSent: (reason: string | number) => `Nothing was sent. ${reason}`,
	writeAMessage: 'Write a message',
	to: 'To',
	nameExampleOrgAnother: 'name@example.org, another@example.org',
	separateSeveralAddressesWith: 'Separate several addresses with commas.',
	compareTheKeys: 'Compare the keys',
	subject: 'Subject',
	message: 'Message',
	attachFiles: 'Attach files',
	orDropFilesAnywhere:
		'Or drop files anywhere on this form. Files of any size are encrypted once for every recipient; they are not kept with the draft.',
	attachedFiles: 'Attached files',
	remove: 'Remove',
	includeTheOriginalWith: (sender: string | number) =>
		`Include the original with ${sender}’s signature, so recipients can check it really came from them`,
	subjectMessageAndAttachments:
		'Subject, message and attachments are encrypted on this device; the relay only sees who it is for.',
	send: 'Send',
	provingThisIsNot: (percent: string | number) => `Proving this is not bulk mail… ${percent}%`,
	someoneYouWriteTo:
		'Someone you write to does not know you yet, so their relay asks this device for a little work first (it keeps bulk mail expensive). This takes a few seconds.',
	proofOfWorkDone: 'Proof of work done',
	stopSending: 'Stop sending',
	keepUsingTheKept: 'Keep using the key kept on this device'
};
