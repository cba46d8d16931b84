/**
 * Tokens of the `.race` language. Names in this language freely contain `-` `.` `+`
 * `=` (race names, era specs, `data=ordered`), so the lexer does not decide what a
 * word is: any run of printable characters other than punctuation is one `word`,
 * and the parser judges it in context. Newlines are tokens because header lines and
 * statements end at them.
 *
 * The lexer is a single forward pass with no backtracking, so it is linear in the
 * input, and it produces tokens on demand so a large file is never held twice.
 */

import type { Position, Range } from './ast.js';
import type { DiagnosticSink } from './diagnostics.js';

export type Punct = '{' | '}' | '(' | ')' | '[' | ']' | ';' | ',';

export type TokenKind = 'word' | 'string' | 'newline' | 'eof' | Punct;

/**
 * Every token lies on one line. Its range is built on first use only: a big file has
 * millions of tokens, most of them punctuation whose position nobody asks for, and
 * the allocation would otherwise dominate parse time.
 */
export class Token {
  private cached: Range | undefined;

  constructor(
    readonly kind: TokenKind,
    /** Words: the text. Strings: the value without quotes, escapes resolved. */
    readonly text: string,
    /** Offset of the first character, for slicing sub-ranges out of a word. */
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly endColumn: number,
  ) {}

  get range(): Range {
    return this.cached ??= {
      start: { line: this.line, column: this.column },
      end: { line: this.line, column: this.endColumn },
    };
  }
}

const PUNCT = '{}()[];,';

/**
 * Control characters other than tab, newline, CR, vertical tab and form feed do not
 * occur in text files; C1 controls are what Latin-1 decoding makes of binary.
 */
export function isBinaryChar(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d)
    || (c >= 0x7f && c <= 0x9f);
}

/** Offset of the first binary character, or -1. */
export function findBinary(text: string): number {
  // A regex scan is linear and much faster than a charCodeAt loop over megabytes.
  const m = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/.exec(text);
  return m ? m.index : -1;
}

/** Line and column of an offset, by counting; used once for out-of-band positions. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = lineStart; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c;
}

function isWordChar(c: number): boolean {
  if (c <= 0x20 || isBinaryChar(c)) return false;
  // '"' starts a string and '#' a comment even in the middle of a word.
  switch (c) {
    case 0x22: case 0x23:
    case 0x7b: case 0x7d: case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x3b: case 0x2c:
      return false;
    default:
      return true;
  }
}

export class Lexer {
  private pos: number;
  private line = 1;
  private lineStart = 0;
  private stopped = false;

  constructor(private readonly text: string, private readonly sink: DiagnosticSink) {
    // A byte-order mark is an encoding artifact, not a character of line 1.
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.lineStart = this.pos;
  }

  private column(): number {
    return this.pos - this.lineStart + 1;
  }

  private token(kind: TokenKind, text: string, offset: number): Token {
    const end = this.column();
    return new Token(kind, text, offset, this.line, end - (this.pos - offset), end);
  }

  next(): Token {
    const text = this.text;
    for (;;) {
      if (this.stopped || this.pos >= text.length) {
        const at = this.column();
        return new Token('eof', '', this.pos, this.line, at, at);
      }
      const c = text.charCodeAt(this.pos);
      if (isSpace(c)) {
        this.pos++;
        continue;
      }
      if (c === 0x23) {
        // Comment: runs to the end of the line, but binary inside it still stops us.
        while (this.pos < text.length) {
          const d = text.charCodeAt(this.pos);
          if (d === 0x0a || d === 0x0d || isBinaryChar(d)) break;
          this.pos++;
        }
        continue;
      }
      const offset = this.pos;
      if (c === 0x0a || c === 0x0d) {
        const column = this.column();
        this.pos += c === 0x0d && text.charCodeAt(this.pos + 1) === 0x0a ? 2 : 1;
        const tok = new Token('newline', '\n', offset, this.line, column, column + 1);
        this.line++;
        this.lineStart = this.pos;
        return tok;
      }
      if (isBinaryChar(c)) {
        const column = this.column();
        this.sink.error({ start: { line: this.line, column }, end: { line: this.line, column: column + 1 } },
          'binary-data', binaryMessage(c));
        this.stopped = true;
        continue;
      }
      if (c === 0x22) return this.string(offset);
      const p = PUNCT.indexOf(text[this.pos]!);
      if (p >= 0) {
        this.pos++;
        return this.token(PUNCT[p] as Punct, PUNCT[p]!, offset);
      }
      while (this.pos < text.length && isWordChar(text.charCodeAt(this.pos))) this.pos++;
      return this.token('word', text.slice(offset, this.pos), offset);
    }
  }

  /** A string ends at its quote or, unterminated, at the end of its line. */
  private string(offset: number): Token {
    const text = this.text;
    this.pos++;
    let value = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= text.length) break;
      const c = text.charCodeAt(this.pos);
      if (c === 0x0a || c === 0x0d || isBinaryChar(c)) break;
      if (c === 0x22) {
        value += text.slice(chunk, this.pos);
        this.pos++;
        return this.token('string', value, offset);
      }
      if (c === 0x5c && this.pos + 1 < text.length) {
        const e = text.charCodeAt(this.pos + 1);
        if (e === 0x22 || e === 0x5c) {
          value += text.slice(chunk, this.pos) + text[this.pos + 1];
          this.pos += 2;
          chunk = this.pos;
          continue;
        }
      }
      this.pos++;
    }
    value += text.slice(chunk, this.pos);
    const tok = this.token('string', value, offset);
    this.sink.error(tok.range, 'unterminated-string', 'unterminated string: missing closing \'"\' before end of line');
    return tok;
  }
}

export function binaryMessage(c: number): string {
  return `binary data: control character 0x${c.toString(16).padStart(2, '0')}; this is not a text file`;
}
