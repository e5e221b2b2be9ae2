// Which network addresses a relay may connect to on a stranger's say-so. Discovery follows names
// and documents anyone can publish, so without this a key lookup for user@some.example could make
// the relay knock on its own loopback, the operator's private network or a cloud metadata service.
// Only peers the operator configured (LETTERLOCK_PEERS) are exempt.
import { BlockList, isIP, isIPv6 } from 'node:net';

/** Ranges that are not the public internet (IANA special-purpose registries). IPv4 rules also
 * match IPv4-mapped IPv6 addresses (::ffff:10.0.0.1), which BlockList checks for us. */
const NOT_PUBLIC: [string, number, 'ipv4' | 'ipv6'][] = [
	['0.0.0.0', 8, 'ipv4'], // "this network"
	['10.0.0.0', 8, 'ipv4'], // private (RFC 1918)
	['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
	['127.0.0.0', 8, 'ipv4'], // loopback
	['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata
	['172.16.0.0', 12, 'ipv4'], // private
	['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
	['192.0.2.0', 24, 'ipv4'], // documentation
	['192.88.99.0', 24, 'ipv4'], // 6to4 relays (deprecated)
	['192.168.0.0', 16, 'ipv4'], // private
	['198.18.0.0', 15, 'ipv4'], // benchmarking
	['198.51.100.0', 24, 'ipv4'], // documentation
	['203.0.113.0', 24, 'ipv4'], // documentation
	['224.0.0.0', 4, 'ipv4'], // multicast
	['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
	['::', 96, 'ipv6'], // unspecified, loopback ::1, IPv4-compatible (deprecated)
	['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
	['100::', 64, 'ipv6'], // discard
	['2001::', 23, 'ipv6'], // IETF protocol assignments, Teredo
	['2001:db8::', 32, 'ipv6'], // documentation
	['2002::', 16, 'ipv6'], // 6to4: embeds any IPv4 address
	['fc00::', 7, 'ipv6'], // unique local
	['fe80::', 10, 'ipv6'], // link-local
	['fec0::', 10, 'ipv6'], // site-local (deprecated)
	['ff00::', 8, 'ipv6'] // multicast
];

const notPublic = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) notPublic.addSubnet(network, prefix, family);

/** The IPv4 address a NAT64 gateway (64:ff9b::/96) would connect to, if `address` (in the
 * URL parser's canonical form) is one. */
function nat64Target(address: string): string | undefined {
	const match = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
	if (!match) return undefined;
	const high = parseInt(match[1]!, 16);
	const low = parseInt(match[2]!, 16);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether `address` (an IP address, brackets allowed) is on the public internet. */
export function isPublicAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '');
	if (isIP(bare) === 0) return false;
	if (isIPv6(bare)) {
		// The URL parser writes every spelling of an IPv6 address the same, shortest way.
		const ip = new URL(`http://[${bare}]`).hostname.slice(1, -1);
		const embedded = nat64Target(ip);
		if (embedded !== undefined) return isPublicAddress(embedded);
		return !notPublic.check(ip, 'ipv6');
	}
	return !notPublic.check(bare, 'ipv4');
}
