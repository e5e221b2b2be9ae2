// The Web Key Directory is served by the relay core too.
import { clientOf, getRelay } from '$lib/server/instance';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = async ({ request, getClientAddress }) =>
	(await getRelay()).handle(request, clientOf(getClientAddress));
