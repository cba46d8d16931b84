/**
 * The text pass of the index: where a C text defines and calls catalog functions,
 * with ranges, without parsing. Kernel style decides what a definition is (the name
 * on a line that starts at column 0, its parameter list followed by neither `;` nor
 * `,`, `)` or `=`); comments are skipped. A fast over-approximation that tree-sitter
 * confirms later for the files where it matters (see workspace-index.ts).
 */
import { catalogNamePattern } from './catalog-names.js';
import { afterParameterList, skipSpace } from '../lift/c-text.js';

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
  const comments = new CommentCursor(text);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    while (true) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= at) break;
      line++;
      lineStart = nl + 1;
    }
    // a macro's own definition line is neither a call nor a function definition
    if (comments.inComment(at, lineStart) || text.charCodeAt(lineStart) === 0x23 /* # */) continue;
    const after = skipSpace(text, at + m[0].length);
    if (text.charCodeAt(after) !== 0x28 /* ( */) continue;
    const site: NameSite = { name: m[0], line, column: at - lineStart, offset: at };
    const kind = declarationKind(text, lineStart, at, after + 1);
    if (kind === 'definition') out.definitions.push(site);
    else if (kind === 'call') out.calls.push(site);
  }
  return out;
}

/**
 * Whether offsets, asked in increasing order, are inside a comment: one forward pass
 * over the text in all (a backward search per name would be quadratic on a big file
 * with one early comment).
 */
class CommentCursor {
  private pos = 0;
  private inBlock = false;
  /** where the next `/*` is at or after pos; -1 when there is none left */
  private nextOpen = -2;

  constructor(private readonly text: string) {}

  inComment(at: number, lineStart: number): boolean {
    const t = this.text;
    while (this.pos < at) {
      if (this.inBlock) {
        const close = t.indexOf('*/', this.pos);
        if (close < 0 || close + 2 > at) {
          this.pos = at;
          return true;
        }
        this.pos = close + 2;
        this.inBlock = false;
      } else {
        // the next opening is remembered: searching again from every name would be quadratic
        if (this.nextOpen !== -1 && this.nextOpen < this.pos) this.nextOpen = t.indexOf('/*', this.pos);
        const open = this.nextOpen;
        if (open < 0 || open >= at) {
          this.pos = at;
          break;
        }
        // `// ... /*` opens nothing: skip to the end of that line
        const ls = t.lastIndexOf('\n', open) + 1;
        if (t.slice(ls, open).includes('//')) {
          const nl = t.indexOf('\n', open);
          this.pos = nl < 0 ? t.length : nl + 1;
          continue;
        }
        this.pos = open + 2;
        this.inBlock = true;
      }
    }
    if (this.inBlock) return true;
    return at - lineStart > 1 && t.slice(lineStart, at).includes('//');
  }
}

/**
 * `static int\nname(...)\n{` is a definition, `int name(...);` a prototype: the line
 * starts with a word at column 0 and nothing but declaration words come before the
 * name. Anything else followed by `(` is a call.
 */
function declarationKind(text: string, lineStart: number, at: number, afterParen: number): 'definition' | 'prototype' | 'call' {
  const c = text.charCodeAt(lineStart);
  const wordStart = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  if (!wordStart) return 'call';
  const head = text.slice(lineStart, at);
  if (/[;{}()=,]/.test(head) || /^(return|if|while|for|switch|else|case|goto|do)\b/.test(head)) return 'call';
  switch (afterParameterList(text, afterParen)) {
    case 'prototype': return head.trim() === '' ? 'call' : 'prototype';
    case 'body': return 'definition';
    default: return 'call';
  }
}
