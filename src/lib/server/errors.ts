// Errors the relay answers with on purpose: an HTTP status, a stable kind for programs and one
// plain sentence for people. Anything else that escapes a handler is a bug and becomes a 500.

export class RelayError extends Error {
	constructor(
		readonly status: number,
		readonly kind: string,
		message: string,
		/** Extra response headers, e.g. `WWW-Authenticate` on a 401 or `Allow` on a 405. */
		readonly headers: Record<string, string> = {},
		/** The addresses the refusal is about, for clients to name in their own words. */
		readonly addresses: string[] = []
	) {
		super(message);
		this.name = 'RelayError';
	}
}

export const badRequest = (message: string) => new RelayError(400, 'invalid-request', message);

export const unauthorised = (message: string) =>
	new RelayError(401, 'unauthorised', message, { 'www-authenticate': 'Bearer' });

export const notFound = (message = 'Nothing is served at this path.') =>
	new RelayError(404, 'not-found', message);

export const wrongDomain = (domain: string, address: string) =>
	new RelayError(
		422,
		'wrong-domain',
		`This relay hosts addresses ending in @${domain}; ${address} belongs elsewhere.`
	);
