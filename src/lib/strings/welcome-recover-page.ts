/** What routes/welcome/recover/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const welcomeRecoverPageStrings = {
	signInWithYour: 'Sign in with your recovery phrase · Letterlock',
	back: 'Back'
};
