/**
 * The token-level half of the `.race` parser: lookahead, the node budget, recovery by
 * skipping to the end of a statement, blocks that notice a missing `}`, and the
 * constants of the syntax. The grammar itself (parser.ts) is built on this cursor.
 */

import type { Range } from './ast.js';
import type { Call, Check, CpuBlock, Expect, FixedBy, Setup } from './ast.js';
import { formatPosition, type DiagnosticSink } from './diagnostics.js';
import { Lexer, Token } from './lexer.js';

/** Everything the parser found, before names and required parts are checked. */
export interface ParsedRace {
  header?: { name: string; title: string; range: Range; nameRange: Range };
  from: string[];
  fromRanges: Range[];
  fixedBy: FixedBy[];
  era?: { name: string; range: Range };
  setup?: Setup;
  /** In source order; may contain duplicates and gaps, which validate.ts reports. */
  cpus: CpuBlock[];
  final?: { calls: Call[]; range: Range };
  checks: Check[];
  /** A `check` line was seen, even if none of its names were valid. */
  sawCheck: boolean;
  expects: Expect[];
  /** Parsing stopped at MAX_NODES; later statements were never seen. */
  truncated: boolean;
  /** The input ended inside a block: most likely a cut-off file. */
  endedInBlock: boolean;
}

/** Names of files, pages, mappings and calls: C identifiers. */
export const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** CPU labels and invariant ids: `lost-write`, `bug-on`. */
export const LABEL_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const RACE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
export const ERA_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const OVERLAY_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const FS_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const OPT_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const OPT_VALUE_RE = /^[A-Za-z0-9_.+\-/:]+$/;
export const COMMIT_RE = /^[0-9a-fA-F]{7,40}$/;
export const CPU_NAME_RE = /^P[0-9]+$/;
export const INT_RE = /^-?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;
export const UINT_RE = /^[0-9]+$/;

/** More CPUs than this could never be explored exhaustively anyway. */
export const MAX_CPUS = 64;
/**
 * Calls, args, pages, checks, ... in one file. Far beyond what the explorer can
 * cover, and the cap keeps a runaway generated file from costing seconds to parse.
 */
export const MAX_NODES = 10000;
export const MAX_BUFFERS = 8;

export const TOP_KEYWORDS: ReadonlySet<string> = new Set([
  'race', 'era', 'from', 'fixed-by', 'setup', 'final', 'check', 'expect',
]);
export const SETUP_KEYWORDS: ReadonlySet<string> = new Set(['fs', 'file', 'mmap']);

/** Syntax checks validate.ts repeats so a malformed name is not also "unknown". */
export function isEraName(s: string): boolean {
  return ERA_RE.test(s);
}

export function isOverlayName(s: string): boolean {
  return OVERLAY_RE.test(s);
}

/** Words that start statements; naming an object after one would make blocks ambiguous. */
export function isReservedName(name: string): boolean {
  return TOP_KEYWORDS.has(name) || SETUP_KEYWORDS.has(name) || name === 'page'
    || CPU_NAME_RE.test(name);
}

export const VERDICTS: ReadonlySet<string> = new Set(['holds', 'violated', 'incomplete']);

export function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** A slice of a one-line token, for pointing at part of `5.10+hugh`. */
export function subRange(tok: Token, from: number, to: number): Range {
  const { line, column } = tok.range.start;
  return { start: { line, column: column + from }, end: { line, column: column + to } };
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'word': return `'${t.text.length > 40 ? t.text.slice(0, 40) + '...' : t.text}'`;
    case 'string': return 'a string';
    case 'newline': return 'end of line';
    case 'eof': return 'end of file';
    default: return `'${t.kind}'`;
  }
}

export type Level = 'top' | 'setup' | 'inner';

export abstract class TokenCursor {
  private readonly lexer: Lexer;
  private readonly ahead: Token[] = [];
  protected last: Token;
  protected nodes = 0;
  protected readonly out: ParsedRace;

  constructor(text: string, protected readonly sink: DiagnosticSink) {
    this.lexer = new Lexer(text, sink);
    this.last = new Token('newline', '', 0, 1, 1, 1);
    this.out = {
      from: [], fromRanges: [], fixedBy: [], cpus: [], checks: [], sawCheck: false, expects: [],
      truncated: false, endedInBlock: false,
    };
  }

  // ---- token stream -------------------------------------------------------------

  protected peek(k = 0): Token {
    while (this.ahead.length <= k) this.ahead.push(this.lexer.next());
    return this.ahead[k]!;
  }

  protected next(): Token {
    const t = this.peek();
    this.ahead.shift();
    this.last = t;
    return t;
  }

  /** Stop on too many diagnostics or nodes; every loop checks this. */
  protected get stopped(): boolean {
    return this.sink.full || this.out.truncated;
  }

  /** Count one more node; false once the file is too large to keep building. */
  protected grow(at: Token): boolean {
    if (this.out.truncated) return false;
    if (++this.nodes <= MAX_NODES) return true;
    this.out.truncated = true;
    this.sink.error(at.range, 'too-large',
      `scenario too large: more than ${MAX_NODES} statements, calls and arguments; parsing stopped here`);
    return false;
  }

  protected isWord(t: Token, text?: string): boolean {
    return t.kind === 'word' && (text === undefined || t.text === text);
  }

  protected atStatementEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof' || k === ';' || k === '}';
  }

  protected atLineEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof' || k === ';';
  }

  protected unexpected(t: Token, expected: string): void {
    this.sink.error(t.range, 'unexpected-token', `unexpected ${describe(t)}; expected ${expected}`);
  }

  /**
   * Skip the rest of a statement. Braces opened on the way are skipped whole, so a
   * mistyped block header does not make its body look like outer statements.
   * Inside a block, the block's own `}` is left for the block to close.
   */
  protected skipStatement(inBlock: boolean): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && (t.kind === 'newline' || t.kind === ';')) return;
      if (depth === 0 && inBlock && t.kind === '}') return;
      this.next();
      if (t.kind === '{') depth++;
      else if (t.kind === '}' && depth > 0) depth--;
    }
  }

  /** A header line must end here; anything else is reported once and skipped. */
  protected endLine(after: string, inBlock = false): void {
    if (this.atLineEnd() || (inBlock && this.peek().kind === '}')) return;
    this.unexpected(this.peek(), `end of line after ${after}`);
    this.skipStatement(inBlock);
  }

  /** Could this token only be the start of a statement outside the current block? */
  protected startsOuter(t: Token, level: Level): boolean {
    if (t.kind !== 'word' || this.peek(1).kind === '(') return false;
    if (TOP_KEYWORDS.has(t.text) || CPU_NAME_RE.test(t.text)) return true;
    return level === 'inner' && SETUP_KEYWORDS.has(t.text);
  }

  /**
   * The body of a `{ ... }` block whose `{` is `open` (already consumed). Returns
   * the closing brace, or undefined when the block was left unclosed.
   */
  protected block(what: string, open: Token, level: Level, item: () => void): Token | undefined {
    for (;;) {
      if (this.stopped) return undefined;
      const t = this.peek();
      if (t.kind === 'newline' || t.kind === ';') {
        this.next();
        continue;
      }
      if (t.kind === '}') return this.next();
      if (t.kind === 'eof') {
        if (!this.out.endedInBlock) {
          this.out.endedInBlock = true;
          this.sink.error(t.range, 'unclosed-block',
            `unexpected end of file: '{' of ${what} opened at ${formatPosition(open.range.start)} is not closed`);
          this.sink.error(open.range, 'unclosed-block', `'{' of ${what} is never closed`);
        }
        return undefined;
      }
      if (this.startsOuter(t, level)) {
        this.sink.error(t.range, 'unclosed-block',
          `missing '}' to close ${what} opened at ${formatPosition(open.range.start)} before ${describe(t)}`);
        return undefined;
      }
      item();
      // Safety net: an item that consumed nothing would otherwise spin forever.
      if (this.peek() === t) this.next();
    }
  }


  protected duplicate(kw: Token, first: Range): void {
    this.sink.error(kw.range, 'duplicate-header',
      `duplicate '${kw.text}' (first at ${formatPosition(first.start)})`);
  }

  /** The next token must be a word; otherwise report and skip the statement. */
  protected word(expected: string, inBlock = false): Token | undefined {
    const t = this.peek();
    if (t.kind === 'word') return this.next();
    this.unexpected(t, expected);
    this.skipStatement(inBlock);
    return undefined;
  }

  /** `{` after a block header, or report; the caller gives up on the statement. */
  protected openBrace(after: string, inBlock: boolean): Token | undefined {
    const t = this.peek();
    if (t.kind === '{') return this.next();
    this.unexpected(t, `'{' after ${after}`);
    this.skipStatement(inBlock);
    return undefined;
  }

  /** The integer after `index`/`buffers`, checked against its bounds. */
  protected number(kw: Token, min: number, max: number, rule: string): number | undefined {
    const t = this.peek();
    if (t.kind !== 'word') {
      this.sink.error(kw.range, 'bad-number',
        `expected a number after '${kw.text}': ${rule}`);
      return undefined;
    }
    this.next();
    const n = UINT_RE.test(t.text) ? Number(t.text) : NaN;
    if (!(n >= min && n <= max)) {
      this.sink.error(t.range, 'bad-number', `${rule}, got ${describe(t)}`);
      return undefined;
    }
    return n;
  }
}
