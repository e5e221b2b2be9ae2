// Every /api request goes to the framework-free relay core.
import { getRelay } from '$lib/server/instance';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = async ({ request }) => (await getRelay()).handle(request);
