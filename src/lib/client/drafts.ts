// Drafts autosave to this device, but never as plaintext: the compose fields are signed and
// encrypted to the writer's own key in the crypto worker first, so a copied browser profile
// shows no more than the outbox does (ciphertext), and reading a draft back needs the key.
import * as v from 'valibot';
import type { CryptoApi } from '../crypto/types';
import type { LocalDb } from './local-db';
import { parseMail } from './mail-format';

export interface DraftFields {
	to: string;
	subject: string;
	body: string;
}

const DraftFields = v.object({ to: v.string(), subject: v.string(), body: v.string() });

export function isEmptyDraft(fields: DraftFields): boolean {
	return fields.to.trim() === '' && fields.subject.trim() === '' && fields.body.trim() === '';
}

export async function saveDraft(
	db: LocalDb,
	crypto: CryptoApi,
	address: string,
	fields: DraftFields
): Promise<void> {
	if (isEmptyDraft(fields)) return db.drafts.delete(address);
	// No recipient keys: the engine always adds our own key, so only we can read it back.
	const sealed = await crypto.encryptAndSign({ text: JSON.stringify(fields), recipientKeys: [] });
	await db.drafts.put({ address, sealed, updatedAt: new Date().toISOString() });
}

export async function loadDraft(
	db: LocalDb,
	crypto: CryptoApi,
	address: string
): Promise<DraftFields | null> {
	const record = await db.drafts.get(address);
	if (!record) return null;
	const { text } = await crypto.decryptAndVerify({ message: record.sealed, senderKeys: [] });
	const parsed = v.safeParse(DraftFields, JSON.parse(text));
	return parsed.success ? parsed.output : null;
}

export function discardDraft(db: LocalDb, address: string): Promise<void> {
	return db.drafts.delete(address);
}

/** The compose fields of an encrypted outbox message (it is encrypted to its sender too), and
 * the names of its attachments (files are not kept with a draft). */
export async function fieldsOfMessage(
	crypto: CryptoApi,
	message: string
): Promise<DraftFields & { files: string[] }> {
	const { text } = await crypto.decryptAndVerify({ message, senderKeys: [] });
	const mail = parseMail(text);
	return {
		to: mail.headers.to.join(', '),
		subject: mail.headers.subject,
		body: mail.body,
		files: mail.attachments.map((attachment) => attachment.name)
	};
}
