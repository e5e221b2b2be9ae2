/** What lib/ui/MailImport.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const mailImportStrings = {
	importMail: 'Import mail',
	bringMailFromAnother:
		'Bring mail from another program into your inbox, where all your devices see it: .eml files or an mbox of any size. Encrypted (PGP/MIME) mail keeps its signature; other mail is encrypted to your key on this device before it is sent to the relay. An import stopped halfway goes on where it stopped when you choose the same files again: letters imported before are skipped.',
	mailFileEmlOr: 'Mail file (.eml or mbox)',
	stop: 'Stop import',
	letters: (count: number) => `${count.toLocaleString()} ${count === 1 ? 'letter' : 'letters'}`,
	checking: (letters: string) => `Checking: ${letters}`,
	importing: (letters: string) => `Importing: ${letters}`,
	importedBefore: (count: number) => `${count.toLocaleString()} imported before`,
	perSecond: (rate: string) => `${rate} letters/s`,
	read: (percent: number) => `${percent}% read`,
	timeLeft: (left: string) => `about ${left} left`,
	seconds: (count: number) => `${count} s`,
	minutes: (count: number) => `${count} min`,
	hours: (count: string) => `${count} h`,
	waiting: (seconds: number, reason: string) =>
		`waiting ${seconds} s for the relay (${reason}), then the import goes on by itself`,
	importedFromIntoYour: (count: number, name: string) =>
		`Imported ${count} ${count === 1 ? 'message' : 'messages'} from ${name} into your inbox.`,
	importedTheRest: (count: number, before: number, name: string) =>
		`Imported ${count} ${count === 1 ? 'message' : 'messages'} from ${name} into your inbox; ${before} were imported before.`,
	nothingNew: (total: number, name: string) =>
		`All ${total} ${total === 1 ? 'letter' : 'letters'} of ${name} were imported before; nothing new to import.`,
	stopped: (count: number) =>
		`Stopped after importing ${count} ${count === 1 ? 'message' : 'messages'}. Choose the same files again to import the rest.`,
	files: (count: number) => `${count} files`
};
