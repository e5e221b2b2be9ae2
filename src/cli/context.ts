// What a command runs with: the state directory, the relay, and the crypto engine, each set up
// only when the command needs it. The key is unlocked at most once per run, and a session is
// renewed transparently when the relay no longer accepts it.
import { Mailer } from '../lib/client/mailer';
import { RelayClient, RelayError } from '../lib/client/relay-client';
import { ListBook } from '../lib/client/list-pins';
import { ContactBook } from '../lib/client/trust';
import { CryptoEngine } from '../lib/crypto/engine';
import { CliError } from './errors';
import { Home, type Identity } from './home';
import { readPassphrase } from './passphrase';

/** Treat a session as expired a little early, so it does not lapse between check and use. */
const EXPIRY_MARGIN_MS = 30_000;

export class Context {
	readonly engine = new CryptoEngine();
	#relay: RelayClient | null = null;
	#unlocked = false;
	#mailer: Mailer | null = null;

	constructor(
		readonly home: Home,
		/** The --relay option or LETTERLOCK_RELAY; otherwise the relay recorded at init. */
		readonly relayOverride: string | undefined,
		readonly env: NodeJS.ProcessEnv
	) {}

	get relayUrl(): string {
		return this.relayOverride ?? this.home.readIdentity()?.relay ?? 'http://localhost:3000';
	}

	get relay(): RelayClient {
		if (!this.#relay) {
			const session = this.home.readSession();
			const live =
				session && Date.parse(session.expiresAt) - EXPIRY_MARGIN_MS > Date.now()
					? session.token
					: undefined;
			this.#relay = new RelayClient(this.relayUrl, { token: live });
		}
		return this.#relay;
	}

	identity(): Identity {
		const identity = this.home.readIdentity();
		if (!identity) {
			throw new CliError(
				`There is no Letterlock identity in ${this.home.dir} yet; create one with “letterlock init --address ADDR --name NAME”.`
			);
		}
		return identity;
	}

	/** `known` is a passphrase the command already read, so it is not asked for twice. */
	async unlock(known?: string): Promise<void> {
		if (this.#unlocked) return;
		const identity = this.identity();
		const passphrase = known ?? (await readPassphrase(this.env));
		await this.engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase });
		this.#unlocked = true;
	}

	/** Signs a fresh relay challenge and keeps the new session in session.json. */
	async login(): Promise<void> {
		await this.unlock();
		const session = await this.relay.login(this.identity().address, (challenge) =>
			this.engine.signLogin(challenge)
		);
		this.home.writeSession(session);
	}

	/** Runs a relay call with a session, logging in first when there is none and once more when
	 * the relay rejects the one we have (expired, revoked, or from a reset relay). */
	async authenticated<T>(call: () => Promise<T>): Promise<T> {
		if (!this.relay.token) await this.login();
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof RelayError && error.status === 401)) throw error;
			this.home.clearSession();
			await this.login();
			return call();
		}
	}

	/** The mail layer shared with the browser app; the key is unlocked for it. */
	async mailer(): Promise<Mailer> {
		if (!this.#mailer) {
			await this.unlock();
			const { name, address, fingerprint, publicKey } = this.identity();
			this.#mailer = new Mailer(
				this.relay,
				this.engine,
				{ name, address, fingerprint, publicKey },
				undefined,
				new ContactBook(this.home.contactStore()),
				new ListBook(this.home.listPinStore())
			);
		}
		return this.#mailer;
	}
}
