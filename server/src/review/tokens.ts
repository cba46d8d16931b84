/**
 * C tokens with their offsets, comments and whitespace left out: hunks whose
 * whitespace an archive mangled, or whose newlines it lost, are matched on these.
 */

export interface Token {
  text: string;
  start: number;
  end: number;
}

const PUNCT3 = ['<<=', '>>=', '...'];
const PUNCT2 = ['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '##'];

/**
 * Tokens of `text` from `from` to `to`. An unterminated comment or string runs to the
 * end (a hunk may start or stop inside one).
 */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  let i = from;
  // a fragment that starts inside a comment (a hunk's first lines ` * ...`): it closes before any opens
  const close = text.indexOf('*/', from);
  const open = text.indexOf('/*', from);
  if (close >= 0 && close < to && (open < 0 || open > close) && /^\s*\*/.test(text.slice(from, from + 200))) i = close + 2;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0x5c && isLineEnd(text, i + 1)) {
      i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 || e + 2 > to ? to : e + 2;
      continue;
    }
    if (text.startsWith('//', i)) {
      const e = text.indexOf('\n', i);
      i = e < 0 || e > to ? to : e;
      continue;
    }
    const start = i;
    if (isIdent(c)) {
      while (i < to && isIdentOrDigit(text.charCodeAt(i))) i++;
    } else if (c >= 48 && c <= 57 || c === 46 && isDigit(text.charCodeAt(i + 1))) {
      while (i < to && (isIdentOrDigit(text.charCodeAt(i)) || text[i] === '.')) i++;
    } else if (c === 34 || c === 39) {
      i++;
      while (i < to && text.charCodeAt(i) !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(to, i + 1);
    } else {
      const p3 = text.substr(i, 3);
      const p2 = text.substr(i, 2);
      i += PUNCT3.includes(p3) ? 3 : PUNCT2.includes(p2) ? 2 : 1;
    }
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

function isLineEnd(text: string, i: number): boolean {
  return text[i] === '\n' || text[i] === '\r';
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdent(c: number): boolean {
  return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95;
}

function isIdentOrDigit(c: number): boolean {
  return isIdent(c) || isDigit(c);
}
