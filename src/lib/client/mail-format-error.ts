import { LetterlockError } from '../errors';

// The one error the mail format throws: the decrypted text is not a message Letterlock can show.
export class MailFormatError extends LetterlockError<{
	domain: 'mail-format';
	kind: 'damaged-part';
	params: Record<never, never>;
}> {
	constructor(options: { cause?: unknown } = {}) {
		super({ domain: 'mail-format', kind: 'damaged-part', params: {} }, options);
		this.name = 'MailFormatError';
	}
}
