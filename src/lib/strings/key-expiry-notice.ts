/** What lib/ui/KeyExpiryNotice.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const keyExpiryNoticeStrings = {
	yourKeyExpiresOn: (date: string | number) =>
		`Your key expires on ${date}. After that nobody can write to you. Extending it keeps the same key and fingerprint, so your contacts notice nothing.`,
	extendMyKeyBy: 'Extend my key by two years'
};
