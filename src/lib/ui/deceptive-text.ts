// Text from a sender that could mislead the reader about who wrote or what a file is:
// bidirectional controls that reorder what is shown ("invoice", RLO, "fdp.exe" reads as
// "invoiceexe.pdf"), and letters from several scripts in one word, the trick behind look-alike
// addresses (a Cyrillic "а" in "pаypal").
import { deceptiveTextStrings as strings } from '$lib/strings/deceptive-text';

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** Shows as nothing and can split or pad what looks like one word. Emoji variation selectors
 * and the joiner inside emoji sequences are ordinary; bidi controls are their own case. */
function isInvisible(char: string): boolean {
	const code = char.codePointAt(0)!;
	const ordinary =
		code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
	return IGNORABLE.test(char) && !BIDI_CONTROLS.test(char) && !ordinary;
}

const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee', 'Arabic', 'Hebrew'];
const SCRIPT_PATTERNS = SCRIPTS.map((script) => new RegExp(`\\p{Script=${script}}`, 'u'));

export type Deception =
	'bidi' | 'invisible' | 'mixed-scripts' | 'non-ascii-address' | 'address-in-name';

/** What is deceptive about `text`. Addresses here are ASCII only; a display name that holds an
 * address ("ceo@example.org" <eve@evil.example>) is the oldest spoof there is. */
export function deceptions(text: string, kind: 'text' | 'address' | 'name' = 'text'): Deception[] {
	const found: Deception[] = [];
	if (BIDI_CONTROLS.test(text)) found.push('bidi');
	if ([...text].some(isInvisible)) found.push('invisible');
	const words = text.split(/[\s@.,;:_+-]+/);
	if (words.some((word) => SCRIPT_PATTERNS.filter((pattern) => pattern.test(word)).length > 1)) {
		found.push('mixed-scripts');
	}
	if (kind === 'address' && /[^\x20-\x7e]/.test(text)) found.push('non-ascii-address');
	if (kind === 'name' && /\S@\S/.test(text)) found.push('address-in-name');
	return found;
}

/** The text with every bidi control and invisible character shown as a visible code, so the
 * reader sees the characters in the order they really are. */
export function reveal(text: string): string {
	return [...text]
		.map((char) =>
			BIDI_CONTROLS.test(char) || isInvisible(char)
				? `[U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`
				: char
		)
		.join('');
}

const EXPLANATIONS: Record<Deception, string> = {
	bidi: strings.containsCharactersThatReverse,
	invisible: strings.containsInvisibleCharactersThey,
	'mixed-scripts': strings.mixesLettersFromDifferent,
	'non-ascii-address': strings.isAnAddressWith,
	'address-in-name': strings.containsAnEmailAddress
};

/** One sentence per problem: `What` + explanation, e.g. "The sender's name contains …". */
export function explainDeceptions(what: string, found: Deception[]): string[] {
	return found.map((deception) => `${what} ${EXPLANATIONS[deception]}.`);
}
