import { LetterlockError, type ErrorFacts, type RecipientProblem } from '../errors';
import { RelayError } from './relay-client';

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

/** The directory cannot be asked now (offline, the address's relay away, too many lookups):
 * nothing about the address, so reading goes on with the keys on this device. */
export function unreachable(error: unknown): boolean {
	if (error instanceof MailerError) return error.kind === 'no-key-offline';
	if (!(error instanceof RelayError)) return false;
	return error.kind === 'remote-unavailable' || error.kind === 'offline' || error.status === 429;
}
