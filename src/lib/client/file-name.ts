// The name a received file is saved under, in the browser and on the command line. The sender
// chose it, so only a plain, visible file name is kept: no folders ("../../.bashrc"), no hidden
// file (".profile", also behind spaces: " .profile"), no control characters, and no bidi
// controls that make "invoice\u202Efdp.exe" show as "invoiceexe.pdf".

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeFileName(name: string): string {
	const cleaned = (name.split(/[\\/]/).pop() ?? '')
		.replace(INVISIBLE, '')
		// Leading dots hide a file; trailing dots and spaces are dropped by Windows anyway.
		.replace(/^[\s.]+|[\s.]+$/g, '');
	return cleaned || 'attachment';
}
