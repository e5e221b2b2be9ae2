// A minimal method + path router. Path parameters are `:name` segments, percent-decoded.
import { RelayError, badRequest, notFound } from './errors';

export type Params = Record<string, string>;
/** Facts about the request that are not in it: where it came from (for per-network limits). */
export interface Client {
	/** The client's IP as the HTTP server (or a trusted proxy header) reports it. */
	address: string;
}
export type Handler = (
	request: Request,
	params: Params,
	url: URL,
	client: Client
) => Promise<Response>;

interface Route {
	method: string;
	/** The path as registered, e.g. `/api/keys/:address`: what logs show instead of the path. */
	pattern: string;
	segments: string[];
	handler: Handler;
}

export class Router {
	private routes: Route[] = [];

	add(method: string, path: string, handler: Handler): this {
		this.routes.push({ method, pattern: path, segments: path.split('/').filter(Boolean), handler });
		return this;
	}

	/** Every route, as `METHOD /pattern`, so tests can prove they cover each one. */
	list(): string[] {
		return this.routes.map((route) => `${route.method} ${route.pattern}`);
	}

	/** Finds the handler for a request; 404 for an unknown path, 405 for a known path with the
	 * wrong method. */
	resolve(method: string, url: URL): { handler: Handler; params: Params; pattern: string } {
		const segments = url.pathname.split('/').filter(Boolean);
		const allowed = new Set<string>();
		for (const route of this.routes) {
			const params = match(route.segments, segments);
			if (!params) continue;
			if (route.method === method)
				return { handler: route.handler, params, pattern: route.pattern };
			allowed.add(route.method);
		}
		if (allowed.size === 0) throw notFound();
		const allow = [...allowed].join(', ');
		throw new RelayError(405, 'method-not-allowed', `Use ${allow} here.`, { allow });
	}
}

function match(pattern: string[], segments: string[]): Params | undefined {
	if (pattern.length !== segments.length) return undefined;
	const params: Params = {};
	for (const [index, part] of pattern.entries()) {
		const segment = segments[index]!;
		if (part.startsWith(':')) params[part.slice(1)] = decode(segment);
		else if (part !== segment) return undefined;
	}
	return params;
}

function decode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw badRequest('The URL has a malformed percent-escape.');
	}
}
