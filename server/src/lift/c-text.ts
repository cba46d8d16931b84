/**
 * Kernel C read as text, without parsing: where functions are defined, and which
 * `*_aops` tables a file mentions. Kernel style decides a definition: its name stands
 * on a line that begins with a word at column 0, and its parameter list's closing
 * parenthesis is followed by neither `;` (a prototype) nor `,`, `)` or `=` (a call in
 * an initializer, or after a label at column 0). Both text passes use these rules:
 * the catalog's index of the names a file may define (definitionIndex) and the
 * workspace index's definition and call sites (index/scan.ts). Tree-sitter confirms
 * what they find where it matters.
 *
 * The extents of definitions (scanDefinitions, below) follow braces instead: patch review
 * needs where each definition begins and ends in any file it patches, quickly enough to
 * apply a series of hundreds of hunks without a tree-sitter parse per hunk and side.
 */

/** How far past an opening parenthesis a parameter list is looked for. */
const MAX_PARAMETER_LIST = 4000;

export function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/**
 * From just after an opening parenthesis: the offset just past its closing one, with
 * comments skipped; undefined when a `;` or a brace comes first (a statement, not a
 * parameter list), or no closing one comes soon, or a comment does not end.
 */
export function parameterListEnd(text: string, afterParen: number): number | undefined {
  let depth = 1;
  let i = afterParen;
  const end = Math.min(text.length, afterParen + MAX_PARAMETER_LIST);
  while (i < end && depth > 0) {
    const c = text.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === 0x7b || c === 0x7d || c === 0x3b) {
      return undefined;
    }
    i++;
  }
  return depth > 0 ? undefined : i;
}

/**
 * What follows a name's parenthesized list: 'prototype' (`;`), 'use' (`,`, `)` or `=`:
 * a call, or a function named as a value), 'body' (anything else: a definition's body,
 * or attributes before it), or undefined when the list is no parameter list at all.
 */
export function afterParameterList(text: string, afterParen: number): 'prototype' | 'use' | 'body' | undefined {
  const close = parameterListEnd(text, afterParen);
  if (close === undefined) return undefined;
  const next = text[skipSpace(text, close)];
  if (next === ';') return 'prototype';
  return next === ',' || next === ')' || next === '=' ? 'use' : 'body';
}

/**
 * The names a C text may define: the first identifier followed by `(` after the start
 * of a line that begins with a letter or underscore, with no `;`, braces, parentheses
 * or `=` in between (so `static int\nfoo(` counts, calls inside bodies do not), unless
 * what follows the closing parenthesis shows a prototype or a use. An
 * over-approximation: every function tree-sitter finds at file scope is in it (a list
 * that is not a parameter list keeps its name in).
 */
export function definitionIndex(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/^[A-Za-z_][^;{}()=]*?\b([A-Za-z_]\w*)\s*\(/gm)) {
    if (found.has(m[1])) continue;
    const after = afterParameterList(text, m.index! + m[0].length);
    if (after !== 'prototype' && after !== 'use') found.add(m[1]);
  }
  return found;
}

/** Whether the identifier at `start` follows `->`, `.`, `*` or the keyword `struct`. */
function isMemberOrTag(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const c = text[i];
  if (c === '>' || c === '.' || c === '*') return true;
  return i >= 5 && text.slice(i - 5, i + 1) === 'struct' && (i < 6 || !/\w/.test(text[i - 6]!));
}

/**
 * Identifiers ending in `_aops`, `_ops` or `_operations` that a text mentions: ops tables
 * (found from each suffix, not by a regex over every word).
 */
export function aopsMentioned(text: string): string[] {
  const found = new Set<string>();
  const word = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  // address_space_operations tables (ext4_aops), vm_operations_struct tables (ext4_file_vm_ops),
  // file_operations (ext4_file_operations) and iomap's tables (ext4_iomap_ops, ext4_dio_write_ops)
  for (const suffix of ['_aops', '_ops', '_operations']) {
    for (let at = text.indexOf(suffix); at >= 0; at = text.indexOf(suffix, at + suffix.length)) {
      const end = at + suffix.length;
      if (end < text.length && word(text.charCodeAt(end))) continue;
      let start = at;
      while (start > 0 && word(text.charCodeAt(start - 1))) start--;
      // a name of its own before the suffix (`_vm_ops` alone, a reserved-looking `__ops`, is none),
      // and not a member (`mapping->a_ops`, `.a_ops`, `*a_ops`) or a struct tag (`struct file_operations`)
      if (start < at && text.charCodeAt(start) !== 95 && !isMemberOrTag(text, start)) found.add(text.slice(start, end));
    }
  }
  return [...found].sort();
}

/**
 * Function definitions at file scope with their line extents, found by scanning braces
 * (comments, strings and preprocessor lines skipped): a `{` at depth 0 after a
 * parenthesized parameter list opens a definition, named by the first identifier at
 * depth 0 that a `(` follows. Only complete definitions are listed (a fragment's
 * unbalanced braces reset the depth).
 */
export interface Definition {
  name: string;
  /** 0-based lines: where the declaration starts (its first token) and its closing brace */
  startLine: number;
  endLine: number;
}

const SKIP_NAMES = new Set(['__attribute__', '__attribute', 'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__']);

export function scanDefinitions(text: string): Definition[] {
  const out: Definition[] = [];
  let line = 0;
  let depth = 0;
  let parens = 0;
  let stmtLine = -1;
  let name: string | undefined;
  let lastIdent: string | undefined;
  let prevSig = '';
  let open: { name: string; startLine: number } | undefined;
  let atLineStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') continue;
    if (c === '#' && atLineStart) {
      // a preprocessor line, with its continuations
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') { i++; line++; }
        else if (text[i] === '/' && text[i + 1] === '*') {
          const e = text.indexOf('*/', i + 2);
          const end = e < 0 ? n : e + 2;
          for (let k = i; k < end; k++) if (text[k] === '\n') line++;
          i = end - 1;
        }
        i++;
      }
      i--;
      continue;
    }
    atLineStart = false;
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? n : e + 2;
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = (e < 0 ? n : e) - 1;
      continue;
    }
    if (c === '"' || c === '\'') {
      let k = i + 1;
      while (k < n && text[k] !== c && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
      i = k;
      prevSig = 'lit';
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let k = i + 1;
      while (k < n && /\w/.test(text[k])) k++;
      lastIdent = text.slice(i, k);
      if (depth === 0 && parens === 0 && stmtLine < 0) stmtLine = line;
      i = k - 1;
      prevSig = 'id';
      continue;
    }
    if (depth === 0) {
      if (stmtLine < 0 && c !== ';' && c !== '}') stmtLine = line;
      if (c === '(') {
        if (parens === 0 && prevSig === 'id' && lastIdent && !SKIP_NAMES.has(lastIdent) && name === undefined) name = lastIdent;
        parens++;
      } else if (c === ')') {
        parens = Math.max(0, parens - 1);
      } else if (c === ';' && parens === 0) {
        name = undefined;
        stmtLine = -1;
      } else if (c === '{' && parens === 0) {
        if (name && (prevSig === ')' || prevSig === 'id')) open = { name, startLine: stmtLine < 0 ? line : stmtLine };
        depth = 1;
      } else if (c === '}') {
        // an unmatched brace of a fragment
        name = undefined;
        stmtLine = -1;
        open = undefined;
        parens = 0;
      }
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        if (open) out.push({ name: open.name, startLine: open.startLine, endLine: line });
        open = undefined;
        name = undefined;
        stmtLine = -1;
        parens = 0;
      }
    }
    prevSig = c;
  }
  return out;
}
