/** What lib/ui/StatusBanners.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const statusBannersStrings = {
	youAreOfflineYou:
		'You are offline. You can read the mail on this device and write new mail; what you send waits in the outbox and goes out by itself when the connection is back.',
	thisBrowserDoesNot:
		'This browser does not let Letterlock store anything on this device (some private windows do this). Your key, drafts and outbox are kept in memory only and are lost when you close this tab.',
	keepThisTabOpen:
		'Keep this tab open until the outbox is empty: this browser cannot send in the background, so queued mail is lost if you close the tab before it is sent.',
	aNewVersionOf:
		'A new version of Letterlock is ready. It is offered again when you leave this message.',
	aNewVersionOf2: 'A new version of Letterlock is ready.',
	reload: 'Reload'
};
