// The GnuPG anchors: the same bytes, encrypted and signed to the same two kinds of key (a
// recipient and the sender), with gpg's default compression and with -z0, in the same run.
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Gpg } from '../../tests/interop/gpg';

export type GpgVariant = 'default' | '-z0';

export interface GpgTimings {
	encrypt: number;
	decrypt: number;
}

export class GpgAnchor {
	private constructor(private readonly gpg: Gpg) {}

	static async create(): Promise<GpgAnchor> {
		const gpg = await Gpg.create('bench passphrase');
		for (const who of ['Sender <sender@bench.invalid>', 'Recipient <recipient@bench.invalid>']) {
			await gpg.run(['--quick-gen-key', who, 'future-default', 'default', 'never']);
		}
		return new GpgAnchor(gpg);
	}

	/** Milliseconds to encrypt+sign `file` and to decrypt+verify the result. */
	async time(file: string, variant: GpgVariant): Promise<GpgTimings> {
		const sealed = `${file}.${variant}.gpg`;
		const compression = variant === '-z0' ? ['-z', '0'] : [];
		const began = performance.now();
		await this.gpg.run([
			'--yes',
			'--trust-model',
			'always',
			'--local-user',
			'sender@bench.invalid',
			'--recipient',
			'recipient@bench.invalid',
			'--recipient',
			'sender@bench.invalid',
			...compression,
			'--sign',
			'--encrypt',
			'--output',
			sealed,
			file
		]);
		const encrypted = performance.now();
		await this.gpg.run(['--yes', '--output', `${file}.${variant}.out`, '--decrypt', sealed]);
		const decrypted = performance.now();
		if (statSync(`${file}.${variant}.out`).size !== statSync(file).size) {
			throw new Error(`gpg did not give back the ${variant} bytes it encrypted.`);
		}
		return { encrypt: encrypted - began, decrypt: decrypted - encrypted };
	}

	dispose(): Promise<void> {
		return this.gpg.dispose();
	}
}
