// The one error the mail format throws: the decrypted text is not a message Letterlock can show.
export class MailFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MailFormatError';
	}
}
