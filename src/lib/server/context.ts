// What every handler can reach: storage, the relay's identity, its clock, logs and limits.
import type { AuthContext } from './auth';
import type { Logger } from './logger';
import type { RateLimiters } from './rate-limit';
import type { OperatorAddresses } from './role-addresses';
import type { SendBatcher } from './send-batcher';

export interface RelayContext extends AuthContext {
	domain: string;
	version: string;
	/** Operational logs. Never pass message contents, tokens, keys or signatures. */
	logger: Logger;
	limits: RateLimiters;
	/** Where mail is stored: in batches that share one commit (send-batcher.ts). */
	mail: SendBatcher;
	/** Wakes the outbound queue's worker when mail for other relays was queued. */
	outbound: { kick(): void };
	/** Leading zero bits of the stamp a stranger's mail needs (0: no proof of work). */
	powBits: number;
	/** Role addresses (postmaster@, abuse@, …) the operator claims, with the key for each. */
	operatorAddresses: OperatorAddresses;
	/** Bytes each account may keep besides attachment blocks (quota.ts). */
	accountQuotaBytes: number;
}
