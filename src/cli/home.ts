// The CLI's state directory: identity.json (address, public key, passphrase-locked secret key),
// session.json (relay token), contacts.json (pinned keys and their trust, see trust.ts) and
// lists.json (mailing list memberships pinned on first use, see list-pins.ts). They hold
// secrets or near-secrets, so the directory is 0700, the files 0600, and every write goes to a temporary file first so a crash never leaves half
// a key behind.
import {
	closeSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync,
	writeSync
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { Contact } from '../lib/client/backup';
import type { ListPinRecord, ListPinStore } from '../lib/client/list-pins';
import type { ContactRecord, ContactStore } from '../lib/client/trust';
import { CliError } from './errors';

const Identity = v.object({
	address: v.string(),
	name: v.string(),
	fingerprint: v.string(),
	publicKey: v.string(),
	lockedPrivateKey: v.string(),
	relay: v.string()
});
export type Identity = v.InferOutput<typeof Identity>;

const Session = v.object({ token: v.string(), expiresAt: v.string() });

const Contacts = v.record(v.string(), Contact);
const ListPins = v.record(
	v.string(),
	v.object({ address: v.string(), members: v.array(v.string()), pinnedAt: v.string() })
);
export type Session = v.InferOutput<typeof Session>;

export function defaultHome(env: NodeJS.ProcessEnv): string {
	return env.LETTERLOCK_HOME || join(homedir(), '.letterlock');
}

export class Home {
	readonly dir: string;

	constructor(dir: string) {
		this.dir = resolve(dir);
	}

	readIdentity(): Identity | null {
		return this.#read('identity.json', Identity);
	}

	writeIdentity(identity: Identity): void {
		this.#write('identity.json', identity);
	}

	readSession(): Session | null {
		return this.#read('session.json', Session);
	}

	writeSession(session: Session): void {
		this.#write('session.json', session);
	}

	/** The contacts as the trust logic wants them; each change rewrites contacts.json whole. */
	contactStore(): ContactStore {
		const read = (): Record<string, ContactRecord> => this.#read('contacts.json', Contacts) ?? {};
		return {
			get: async (address) => read()[address],
			getAll: async () => Object.values(read()),
			put: async (record) => this.#write('contacts.json', { ...read(), [record.address]: record })
		};
	}

	/** The mailing lists' memberships last written to (see list-pins.ts), in lists.json. */
	listPinStore(): ListPinStore {
		const read = (): Record<string, ListPinRecord> => this.#read('lists.json', ListPins) ?? {};
		return {
			get: async (address) => read()[address],
			put: async (record) => this.#write('lists.json', { ...read(), [record.address]: record }),
			delete: async (address) => {
				const rest = read();
				delete rest[address];
				this.#write('lists.json', rest);
			}
		};
	}

	clearSession(): void {
		rmSync(join(this.dir, 'session.json'), { force: true });
	}

	#read<T>(file: string, schema: v.GenericSchema<unknown, T>): T | null {
		const path = join(this.dir, file);
		let text: string;
		try {
			text = readFileSync(path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw new CliError(`Cannot read ${path}: ${(error as Error).message}.`);
		}
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			data = undefined;
		}
		const parsed = v.safeParse(schema, data);
		if (!parsed.success) {
			throw new CliError(`${path} is damaged; restore it from a backup or remove it.`);
		}
		return parsed.output;
	}

	#write(file: string, data: unknown): void {
		mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		const path = join(this.dir, file);
		const temporary = `${path}.${process.pid}.tmp`;
		const fd = openSync(temporary, 'w', 0o600);
		try {
			writeSync(fd, `${JSON.stringify(data, null, '\t')}\n`);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temporary, path);
	}
}
