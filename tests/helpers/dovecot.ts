// A real IMAP server for tests: Dovecot, started by the test as its own unprivileged instance, with
// every file in a temporary directory: the configuration, a password file, maildirs, and a TLS
// certificate for 127.0.0.1 made at start (openssl). Clients trust that certificate only through
// NODE_EXTRA_CA_CERTS=`caFile`, so the code under test verifies certificates as it does for real
// servers. Letters are put in with IMAP APPEND, as a mail server files them.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';

export interface RunningDovecot {
	port: number;
	/** The certificate the server shows; pass it as NODE_EXTRA_CA_CERTS to trust it. */
	caFile: string;
	/** Files `letters` in `user`'s `folder` (made if missing). */
	append(user: string, folder: string, letters: string[]): Promise<void>;
	/** Everything Dovecot logged, for a failing test's message. */
	log(): Promise<string>;
	stop(): Promise<void>;
}

interface Accounts {
	login: string;
	internal: string;
	group: string;
	mailUid: number;
	mailGid: number;
}

/** Who runs the server: the test's own user, all of it; but Dovecot refuses to serve mail or
 * log in as root, so under root the system users its package made run it. */
function accounts(): Accounts {
	const me = userInfo();
	if (me.uid !== 0) {
		const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
		return { login: me.username, internal: me.username, group, mailUid: me.uid, mailGid: me.gid };
	}
	const [, , uid, gid] = execFileSync('getent', ['passwd', 'dovecot'], { encoding: 'utf8' }).split(
		':'
	);
	return {
		login: 'dovenull',
		internal: 'dovecot',
		group: 'dovecot',
		mailUid: Number(uid),
		mailGid: Number(gid)
	};
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startDovecot(users: Record<string, string>): Promise<RunningDovecot> {
	const dir = await mkdtemp(join(tmpdir(), 'letterlock-dovecot-'));
	const { login, internal, group, mailUid, mailGid } = accounts();
	const caFile = join(dir, 'cert.pem');
	const keyFile = join(dir, 'key.pem');
	await promisify(execFile)('openssl', [
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'1',
		'-subj',
		'/CN=127.0.0.1',
		'-addext',
		'subjectAltName=IP:127.0.0.1',
		'-keyout',
		keyFile,
		'-out',
		caFile
	]);
	// The server's own users (under root) must reach the mail inside the private temp dir.
	await chmod(dir, 0o755);
	const mailHome = join(dir, 'home');
	await mkdir(mailHome);
	await chown(mailHome, mailUid, mailGid);
	await writeFile(
		join(dir, 'passwd'),
		Object.entries(users)
			.map(([user, password]) => `${user}:{PLAIN}${password}::::::\n`)
			.join('')
	);
	const port = await freePort();
	const config = join(dir, 'dovecot.conf');
	await writeFile(
		config,
		`base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = letterlock-test-${port}
protocols = imap
listen = 127.0.0.1
log_path = ${dir}/log
default_internal_user = ${internal}
default_internal_group = ${group}
default_login_user = ${login}
first_valid_uid = ${mailUid}
first_valid_gid = ${mailGid}
ssl = required
ssl_cert = <${caFile}
ssl_key = <${keyFile}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${mailHome}/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = ${port}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`
	);
	const dovecot = process.env.DOVECOT_PATH || '/usr/sbin/dovecot';
	const child: ChildProcess = spawn(dovecot, ['-F', '-c', config], { stdio: 'ignore' });
	const log = () => readFile(join(dir, 'log'), 'utf8').catch(() => '');
	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		await rm(dir, { recursive: true, force: true });
	};
	for (let tries = 0; !(await accepts(port)); tries += 1) {
		if (tries > 100 || child.exitCode !== null) {
			const text = await log();
			await stop();
			throw new Error(`Dovecot did not start:\n${text}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		port,
		caFile,
		log,
		stop,
		async append(user, folder, letters) {
			const client = new ImapFlow({
				host: '127.0.0.1',
				port,
				secure: true,
				auth: { user, pass: users[user]! },
				logger: false,
				tls: { ca: await readFile(caFile, 'utf8') }
			});
			try {
				await client.connect();
				if (folder !== 'INBOX') await client.mailboxCreate(folder);
				for (const letter of letters) await client.append(folder, letter);
				await client.logout();
			} catch (error) {
				client.close();
				throw new Error(`Dovecot refused the letters (${String(error)}):\n${await log()}`, {
					cause: error
				});
			}
		}
	};
}
