// Outbound queue rows as both backends read them, turned into the storage interface's records.
import type { OutboundItem, OutboundStatus } from './types';

export interface OutboundRow {
	message_id: string;
	domain: string;
	sender: string;
	recipients: string;
	stamps: string | null;
	attempts: number | string;
	queued_at: string | Date;
}

export interface StatusRow {
	domain: string;
	state: OutboundStatus['state'];
	settled_at: string | Date | null;
	problem: string | null;
}

const iso = (time: string | Date): string => (time instanceof Date ? time.toISOString() : time);

export const toOutbound = (
	row: OutboundRow,
	armored: string,
	leaseToken: string
): OutboundItem => ({
	messageId: row.message_id,
	domain: row.domain,
	sender: row.sender,
	recipients: JSON.parse(row.recipients) as string[],
	...(row.stamps ? { stamps: JSON.parse(row.stamps) as Record<string, string> } : {}),
	armored,
	attempts: Number(row.attempts),
	queuedAt: iso(row.queued_at),
	leaseToken
});

export const toStatus = (row: StatusRow): OutboundStatus => ({
	domain: row.domain,
	state: row.state,
	at: row.settled_at === null ? null : iso(row.settled_at),
	problem: row.problem
});
