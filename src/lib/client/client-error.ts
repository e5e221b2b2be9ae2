import { LetterlockError, type ErrorFacts, type ErrorInit } from '../errors';

/** What was typed or opened cannot be used as it is: a group, a recovery phrase, a device
 * code, a backup file. */
export class ClientError extends LetterlockError<Extract<ErrorFacts, { domain: 'client' }>> {
	constructor(facts: ErrorInit<'client'>, options: { cause?: unknown } = {}) {
		super({ domain: 'client', ...facts }, options);
		this.name = 'ClientError';
	}
}
