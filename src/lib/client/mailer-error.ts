import { LetterlockError, type ErrorFacts, type RecipientProblem } from '../errors';

/** A letter went ahead although its recipients were not ready (`Mailer.resolveEnvelope`
 * returns the same problem as a value to callers that look first), or a key needed offline
 * was never seen. */
export class MailerError extends LetterlockError<Extract<ErrorFacts, { domain: 'mailer' }>> {
	constructor(
		readonly problem: RecipientProblem,
		options: { cause?: unknown } = {}
	) {
		super({ domain: 'mailer', kind: problem.kind, params: problem }, options);
		this.name = 'MailerError';
	}

	/** The addresses the error is about, so a form can mark them. */
	get addresses(): string[] {
		return this.problem.addresses;
	}
}
