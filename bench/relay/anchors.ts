// Anchors for the relay's request rates, measured in the same run on the same machine: Node's
// bare http server giving the same answer as GET /api/info (what the HTTP stack and the load
// generator allow at best), and Postfix's smtp-source into smtp-sink on loopback (what an
// operator knows a mail server's protocol to manage, without storing anything).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Starts a bare node:http server that answers every request as `GET ${origin}/api/info` does. */
export async function startBareHttp(
	origin: string,
	port: number
): Promise<{ url: string; stop: () => void }> {
	const model = await fetch(`${origin}/api/info`);
	const headers = Object.fromEntries(
		[...model.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name))
	);
	const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-server.js')], {
		env: {
			...process.env,
			PORT: String(port),
			ANSWER: JSON.stringify({ headers, body: await model.text() })
		},
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await once(child, 'message');
	return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

export const SMTP_SINK = '/usr/sbin/smtp-sink';
export const SMTP_SOURCE = '/usr/sbin/smtp-source';

/** Messages per second from smtp-source (`sessions` parallel sessions, each kept open) into
 * smtp-sink, `bytes` of payload each; or why it could not run. */
export async function postfixRate(
	port: number,
	sessions: number,
	bytes: number,
	messages: number
): Promise<{ perSecond: number } | { missing: string }> {
	const installed = spawnSync(SMTP_SOURCE, [], { stdio: 'ignore' });
	if (installed.error) {
		return { missing: 'smtp-source is not installed: `apt-get install postfix` (Debian) adds it.' };
	}
	// smtp-sink refuses to run as root unless told whom to run as.
	const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
	const sink = spawn(SMTP_SINK, [...user, `127.0.0.1:${port}`, '256'], { stdio: 'ignore' });
	try {
		await new Promise((resolve) => setTimeout(resolve, 300));
		const began = performance.now();
		const source = spawn(
			SMTP_SOURCE,
			// -d: each session stays open for its next message, as the HTTP clients' connections do.
			[
				'-s',
				String(sessions),
				'-m',
				String(messages),
				'-l',
				String(bytes),
				'-d',
				`127.0.0.1:${port}`
			],
			{ stdio: ['ignore', 'ignore', 'pipe'] }
		);
		let errors = '';
		source.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		const [code] = (await once(source, 'exit')) as [number | null];
		if (code !== 0) return { missing: `smtp-source failed: ${errors.trim()}` };
		return { perSecond: messages / ((performance.now() - began) / 1000) };
	} finally {
		sink.kill();
	}
}
