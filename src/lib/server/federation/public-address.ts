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

/** The eight 16-bit groups of an IPv6 address in the URL parser's canonical form (no dotted
 * IPv4 tail, at most one `::`). */
function groups(ip: string): number[] {
	const [head = '', tail] = ip.split('::');
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
	const front = parse(head);
	const back = tail === undefined ? [] : parse(tail);
	return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address a NAT64 gateway (64:ff9b::/96) would connect to, if `ip` is one. */
function nat64Target(ip: string): string | undefined {
	const g = groups(ip);
	if (g[0] !== 0x64 || g[1] !== 0xff9b || g.slice(2, 6).some((group) => group !== 0)) {
		return undefined;
	}
	return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
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
