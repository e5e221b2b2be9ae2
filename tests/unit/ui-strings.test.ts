// Every word the interface shows lives in src/lib/strings/, so a translation touches one folder.
// This walks the markup and scripts of every screen and fails on text written in place.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const UI_FOLDERS = ['src/lib/ui', 'src/routes'];
/** Relay handlers answer other programs, not people reading the interface. */
const NOT_UI = /(^|\/)(api|\.well-known)\/|\+server\.ts$/;

/** Attributes people read or hear (screen readers announce labels and titles). */
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'title', 'alt', 'placeholder']);

const hasWord = (text: string) => /\p{L}/u.test(text);
/** A phrase in a script: two words with a space between (single words there are mostly keys,
 * event names and CSS classes, which are not shown). */
const isPhrase = (text: string) => /\p{L}[\p{L},.'’]* +\p{L}/u.test(text) && !isCode(text);
/** Markup and policies built in code (HTML for a sandboxed frame, a CSP) are not read as text. */
const isCode = (text: string) => /[<>{}=]|\b[a-z]+-src\b/.test(text);

function filesUnder(folder: string, suffix: string): string[] {
	return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith(suffix))
		.map((name) => join(folder, name))
		.filter((name) => !NOT_UI.test(name));
}

interface Finding {
	file: string;
	line: number;
	text: string;
}

function lineOf(source: string, offset: number): number {
	return source.slice(0, offset).split('\n').length;
}

/** Phrases written as string literals in TypeScript (a script block or a .ts file). */
function scriptPhrases(file: string, code: string, lineOffset: number): Finding[] {
	const found: Finding[] = [];
	const sourceFile = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
		if (
			(ts.isStringLiteral(node) ||
				ts.isNoSubstitutionTemplateLiteral(node) ||
				ts.isTemplateHead(node) ||
				ts.isTemplateMiddle(node) ||
				ts.isTemplateTail(node)) &&
			isPhrase(node.text)
		) {
			const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
			found.push({ file, line: line + lineOffset + 1, text: node.text });
		}
		ts.forEachChild(node, visit);
	};
	visit(sourceFile);
	return found;
}

type SvelteNode = { type: string; start: number; [key: string]: unknown };

/** Text in markup and in the attributes people read, and phrases in markup expressions. */
function markupWords(file: string, source: string): Finding[] {
	const found: Finding[] = [];
	const report = (node: SvelteNode, text: string) =>
		found.push({ file, line: lineOf(source, node.start), text: text.trim() });
	const walk = (value: unknown, parentName?: string): void => {
		if (Array.isArray(value)) return value.forEach((item) => walk(item, parentName));
		if (!value || typeof value !== 'object') return;
		const node = value as SvelteNode;
		if (node.type === 'Text' && hasWord(String(node.data))) report(node, String(node.data));
		if (node.type === 'Literal' && typeof node.value === 'string' && isPhrase(node.value)) {
			report(node, node.value);
		}
		if (node.type === 'TemplateElement') {
			const cooked = (node.value as { cooked?: string }).cooked ?? '';
			if (isPhrase(cooked)) report(node, cooked);
		}
		if (node.type === 'Attribute' && !READ_ATTRIBUTES.has(String(node.name))) {
			// Other attributes hold classes, ids and types; only expressions inside them can show.
			const parts = Array.isArray(node.value) ? node.value : [node.value];
			parts.filter((part) => part?.type !== 'Text').forEach((part) => walk(part));
			return;
		}
		for (const [key, child] of Object.entries(node)) {
			if (key !== 'metadata' && key !== 'loc') walk(child, String(node.name ?? parentName));
		}
	};
	const ast = parse(source, { modern: true });
	walk(ast.fragment);
	for (const script of [ast.instance, ast.module]) {
		if (!script) continue;
		// Svelte's parser adds source offsets to the script's syntax tree.
		const { start, end } = script.content as unknown as { start: number; end: number };
		found.push(...scriptPhrases(file, source.slice(start, end), lineOf(source, start) - 1));
	}
	return found;
}

describe('interface text', () => {
	it('comes from src/lib/strings, never written in a screen or component', () => {
		const findings = [
			...UI_FOLDERS.flatMap((folder) => filesUnder(folder, '.svelte')).flatMap((file) =>
				markupWords(file, readFileSync(join(ROOT, file), 'utf8'))
			),
			...UI_FOLDERS.flatMap((folder) => filesUnder(folder, '.ts')).flatMap((file) =>
				scriptPhrases(file, readFileSync(join(ROOT, file), 'utf8'), 0)
			)
		];
		const listed = findings.map(({ file, line, text }) => `${relative('.', file)}:${line} ${text}`);
		expect(listed).toEqual([]);
	});
});
