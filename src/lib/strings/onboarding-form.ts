/** What lib/ui/OnboardingForm.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const onboardingFormStrings = {
	theRelayCannotBe:
		'The relay cannot be reached right now, so no address can be made. Check your connection and try again.',
	enterTheNamePeople: 'Enter the name people will see on your mail.',
	chooseTheFirstPart: 'Choose the first part of your address.',
	useOnlyLettersDigits:
		'Use only letters, digits, dots, dashes, underscores or plus signs, starting and ending with a letter or digit.',
	chooseAStrongerPassphrase: (advice: string | number) =>
		`${advice} Choose a stronger passphrase to protect your key.`,
	theTwoPassphrasesAre: 'The two passphrases are not the same.',
	thatAddressIsTaken: 'That address is taken — try another name.',
	createYourLetterlockAddress: 'Create your Letterlock address',
	yourKeyIsMade:
		'Your key is made and kept on this device. Only you can read your mail — not even the relay can.',
	yourName: 'Your name',
	address: 'Address',
	passphrase: 'Passphrase',
	nobodyCanResetIt:
		'Nobody can reset it: if you forget it, your mail cannot be read. A few unrelated words are easy to remember and hard to guess.',
	repeatThePassphrase: 'Repeat the passphrase',
	createMyAddress: 'Create my address'
};
