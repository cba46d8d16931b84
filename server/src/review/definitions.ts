/**
 * Function definitions at file scope, found by scanning braces over the text (comments,
 * strings and preprocessor lines skipped): a `{` at depth 0 after a parenthesized
 * parameter list opens a definition, named by the first identifier at depth 0 that a
 * `(` follows. A series applies hundreds of hunks to files of 150 KB; a full tree-sitter
 * parse per hunk and side was the cost of applying them, this scan is a few ms. Only
 * complete definitions are listed (a fragment's unbalanced braces reset the depth).
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
