// Every /api request goes to the framework-free relay core.
import { clientOf, getRelay } from '$lib/server/instance';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = async ({ request, getClientAddress }) =>
	(await getRelay()).handle(request, clientOf(getClientAddress));
