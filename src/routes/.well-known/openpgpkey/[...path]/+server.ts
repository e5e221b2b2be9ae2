// The Web Key Directory is served by the relay core too.
import { getRelay } from '$lib/server/instance';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = async ({ request }) => (await getRelay()).handle(request);
