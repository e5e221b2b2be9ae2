// The load generator's HTTP client: node:http over one keep-alive connection per client. Each
// request costs the generator a fraction of what fetch costs, which matters when the generator
// shares two cores with the server it loads: what is measured is then the server.
import { Agent, request } from 'node:http';

export interface Answer {
	status: number;
	body: string;
}

export interface HttpClient {
	send(
		url: string,
		init?: { method?: string; headers?: Record<string, string>; body?: string }
	): Promise<Answer>;
	close(): void;
}

export function httpClient(connections: number): HttpClient {
	const agent = new Agent({ keepAlive: true, maxSockets: connections });
	return {
		send(url, init = {}) {
			return new Promise((resolve, reject) => {
				const outgoing = request(
					url,
					{ method: init.method ?? 'GET', headers: init.headers, agent },
					(res) => {
						const chunks: Buffer[] = [];
						res.on('data', (chunk: Buffer) => chunks.push(chunk));
						res.once('end', () =>
							resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
						);
						res.once('error', reject);
					}
				);
				outgoing.once('error', reject);
				outgoing.end(init.body);
			});
		},
		close: () => agent.destroy()
	};
}
