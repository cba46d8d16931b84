/**
 * The text pass of the index: where a C text defines and calls catalog functions,
 * with ranges, without parsing. Kernel style decides what a definition is (the name
 * on a line that starts at column 0, its parameter list followed by neither `;` nor
 * `,`, `)` or `=`); comments are skipped. A fast over-approximation that tree-sitter
 * confirms later for the files where it matters (see workspace-index.ts).
 */
import { catalogNamePattern } from './catalog-names.js';

/** 0-based line and UTF-16 column, as LSP counts them. */
export interface NameSite {
  name: string;
  line: number;
  column: number;
  /** offset of the name in the text */
  offset: number;
}

export interface ScanResult {
  definitions: NameSite[];
  calls: NameSite[];
}

/** Files larger than this are not scanned: generated tables, not kernel logic. */
export const MAX_SCAN_BYTES = 16 * 1024 * 1024;

export function scanText(text: string): ScanResult {
  const out: ScanResult = { definitions: [], calls: [] };
  if (text.length > MAX_SCAN_BYTES || text.indexOf('\0') >= 0) return out;
  const re = catalogNamePattern();
  // line starts are computed lazily, only up to the last match
  let line = 0;
  let lineStart = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    while (true) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= at) break;
      line++;
      lineStart = nl + 1;
    }
    // a macro's own definition line is neither a call nor a function definition
    if (text.charCodeAt(lineStart) === 0x23 /* # */ || inComment(text, at, lineStart)) continue;
    const after = skipSpace(text, at + m[0].length);
    if (text.charCodeAt(after) !== 0x28 /* ( */) continue;
    const site: NameSite = { name: m[0], line, column: at - lineStart, offset: at };
    if (isDefinition(text, lineStart, at, after + 1)) out.definitions.push(site);
    else out.calls.push(site);
  }
  return out;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function inComment(text: string, at: number, lineStart: number): boolean {
  const lineComment = text.lastIndexOf('//', at);
  if (lineComment >= lineStart) return true;
  const open = text.lastIndexOf('/*', at);
  if (open < 0) return false;
  const close = text.lastIndexOf('*/', at);
  return close < open;
}

/** `static int\nname(...)\n{`: the line starts with a word at column 0, no statement punctuation before the name. */
function isDefinition(text: string, lineStart: number, at: number, afterParen: number): boolean {
  const c = text.charCodeAt(lineStart);
  const wordStart = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  if (!wordStart) return false;
  const head = text.slice(lineStart, at);
  if (/[;{}()=,]/.test(head) || /^(return|if|while|for|switch|else|case|goto|do)\b/.test(head)) return false;
  let depth = 1;
  let i = afterParen;
  const end = Math.min(text.length, afterParen + 4000);
  while (i < end && depth > 0) {
    const ch = text.charCodeAt(i);
    if (ch === 0x28) depth++;
    else if (ch === 0x29) depth--;
    else if (ch === 0x3b || ch === 0x7b || ch === 0x7d) return false;
    i++;
  }
  if (depth > 0) return false;
  const next = text[skipSpace(text, i)];
  return next !== ';' && next !== ',' && next !== ')' && next !== '=';
}
