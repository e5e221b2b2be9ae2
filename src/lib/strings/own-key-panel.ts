/** What lib/ui/OwnKeyPanel.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const ownKeyPanelStrings = {
	youHaveANew:
		'You have a new key. Your contacts see that your old key certified it; old mail stays readable.',
	yourKey: 'Your key',
	fingerprint: 'Fingerprint',
	thisKeyIsRevoked: 'This key is revoked or expired: nobody can write to it.',
	validUntil: (date: string | number) => `Valid until ${date}.`,
	itNeverExpires: 'It never expires.',
	yourKeyIsValid: 'Your key is valid for two more years; same fingerprint.',
	extendMyKeyBy: 'Extend my key by two years',
	moveToANew: 'Move to a new key',
	forAKeyYou:
		'For a key you fear was copied, or one that is simply old. Your current key certifies the new one, so your contacts see the change as yours; they are still asked before writing to it.',
	yourPassphraseItWill: 'Your passphrase (it will also lock the new key)',
	makeANewKey: 'Make a new key',
	revokeThisKey: 'Revoke this key',
	onlyForAKey:
		'Only for a key that is lost or stolen. Once published, nobody can write to this key again and it cannot sign you in any more; this cannot be undone. To keep your address, make a new key instead.',
	iUnderstandThatRevoking: 'I understand that revoking cannot be undone',
	yourKeyIsRevoked: 'Your key is revoked. Nobody can write to it any more.',
	revokeMyKey: 'Revoke my key'
};
