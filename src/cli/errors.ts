// The two ways a command fails on purpose. Both carry one plain sentence for the terminal; the
// exit code tells scripts whether the command line itself was wrong (2) or the operation (1).

/** The command line is wrong: unknown option, missing argument, malformed value. Exit code 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** The operation failed for a reason the user can act on. Exit code 1. */
export class CliError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CliError';
	}
}
