// The Web Key Directory and the relay document (letterlock/relay) are served by the relay core.
import { clientOf, getRelay } from '$lib/server/instance';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = async ({ request, getClientAddress }) =>
	(await getRelay()).handle(request, clientOf(getClientAddress));
