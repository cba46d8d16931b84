/**
 * Syntax of `.race` files: turns tokens into a draft tree (`ParsedRace`) whose parts
 * may be missing or duplicated. Whether names resolve and whether required parts
 * are present is decided afterwards in validate.ts, where the whole file is known.
 *
 * Recovery is by skipping to the end of the statement (line, `;` or `}`), so one
 * typo costs one diagnostic and the rest of the file is still checked. A `{` that is
 * never closed is noticed either at the end of the file or at the next line that can
 * only begin an outer statement (`P1 ...`, `check ...`), which keeps one missing
 * brace from swallowing every block after it.
 *
 * There is no recursion deeper than the fixed block nesting (setup > file > page),
 * and every loop consumes a token per turn, so time is linear in the input.
 */

import type {
  Arg, Call, Check, CpuBlock, Expect, FileDecl, FixedBy, FsDecl, MmapDecl,
  PageDecl, PageFlags, PteDecl, Range, Setup, Verdict,
} from './ast.js';
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
const LABEL_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RACE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const ERA_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const OVERLAY_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const FS_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const OPT_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const OPT_VALUE_RE = /^[A-Za-z0-9_.+\-/:]+$/;
const COMMIT_RE = /^[0-9a-fA-F]{7,40}$/;
const CPU_NAME_RE = /^P[0-9]+$/;
const INT_RE = /^-?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;
const UINT_RE = /^[0-9]+$/;

/** More CPUs than this could never be explored exhaustively anyway. */
export const MAX_CPUS = 64;
/**
 * Calls, args, pages, checks, ... in one file. Far beyond what the explorer can
 * cover, and the cap keeps a runaway generated file from costing seconds to parse.
 */
export const MAX_NODES = 10000;
export const MAX_BUFFERS = 8;

const TOP_KEYWORDS: ReadonlySet<string> = new Set([
  'race', 'era', 'from', 'fixed-by', 'setup', 'final', 'check', 'expect',
]);
const SETUP_KEYWORDS: ReadonlySet<string> = new Set(['fs', 'file', 'mmap']);

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

const VERDICTS: ReadonlySet<string> = new Set(['holds', 'violated', 'incomplete']);

function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** A slice of a one-line token, for pointing at part of `5.10+hugh`. */
function subRange(tok: Token, from: number, to: number): Range {
  const { line, column } = tok.range.start;
  return { start: { line, column: column + from }, end: { line, column: column + to } };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'word': return `'${t.text.length > 40 ? t.text.slice(0, 40) + '...' : t.text}'`;
    case 'string': return 'a string';
    case 'newline': return 'end of line';
    case 'eof': return 'end of file';
    default: return `'${t.kind}'`;
  }
}

type Level = 'top' | 'setup' | 'inner';

export class Parser {
  private readonly lexer: Lexer;
  private readonly ahead: Token[] = [];
  private last: Token;
  private nodes = 0;
  private readonly out: ParsedRace;

  constructor(text: string, private readonly sink: DiagnosticSink) {
    this.lexer = new Lexer(text, sink);
    this.last = new Token('newline', '', 0, 1, 1, 1);
    this.out = {
      from: [], fromRanges: [], fixedBy: [], cpus: [], checks: [], sawCheck: false, expects: [],
      truncated: false, endedInBlock: false,
    };
  }

  // ---- token stream -------------------------------------------------------------

  private peek(k = 0): Token {
    while (this.ahead.length <= k) this.ahead.push(this.lexer.next());
    return this.ahead[k]!;
  }

  private next(): Token {
    const t = this.peek();
    this.ahead.shift();
    this.last = t;
    return t;
  }

  /** Stop on too many diagnostics or nodes; every loop checks this. */
  private get stopped(): boolean {
    return this.sink.full || this.out.truncated;
  }

  /** Count one more node; false once the file is too large to keep building. */
  private grow(at: Token): boolean {
    if (this.out.truncated) return false;
    if (++this.nodes <= MAX_NODES) return true;
    this.out.truncated = true;
    this.sink.error(at.range, 'too-large',
      `scenario too large: more than ${MAX_NODES} statements, calls and arguments; parsing stopped here`);
    return false;
  }

  private isWord(t: Token, text?: string): boolean {
    return t.kind === 'word' && (text === undefined || t.text === text);
  }

  private atStatementEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof' || k === ';' || k === '}';
  }

  private atLineEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof' || k === ';';
  }

  private unexpected(t: Token, expected: string): void {
    this.sink.error(t.range, 'unexpected-token', `unexpected ${describe(t)}; expected ${expected}`);
  }

  /**
   * Skip the rest of a statement. Braces opened on the way are skipped whole, so a
   * mistyped block header does not make its body look like outer statements.
   * Inside a block, the block's own `}` is left for the block to close.
   */
  private skipStatement(inBlock: boolean): void {
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
  private endLine(after: string, inBlock = false): void {
    if (this.atLineEnd() || (inBlock && this.peek().kind === '}')) return;
    this.unexpected(this.peek(), `end of line after ${after}`);
    this.skipStatement(inBlock);
  }

  /** Could this token only be the start of a statement outside the current block? */
  private startsOuter(t: Token, level: Level): boolean {
    if (t.kind !== 'word' || this.peek(1).kind === '(') return false;
    if (TOP_KEYWORDS.has(t.text) || CPU_NAME_RE.test(t.text)) return true;
    return level === 'inner' && SETUP_KEYWORDS.has(t.text);
  }

  /**
   * The body of a `{ ... }` block whose `{` is `open` (already consumed). Returns
   * the closing brace, or undefined when the block was left unclosed.
   */
  private block(what: string, open: Token, level: Level, item: () => void): Token | undefined {
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

  // ---- file ---------------------------------------------------------------------

  parse(): ParsedRace {
    for (;;) {
      if (this.stopped) break;
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'newline' || t.kind === ';') {
        this.next();
        continue;
      }
      if (t.kind === 'word' && CPU_NAME_RE.test(t.text)) this.cpuBlock();
      else if (t.kind === 'word' && TOP_KEYWORDS.has(t.text)) this.topStatement(t.text);
      else if (t.kind === 'word' && /^p[0-9]+$/.test(t.text)) {
        this.sink.error(t.range, 'bad-cpu-block', `unexpected '${t.text}': CPU block names are upper-case, '${t.text.toUpperCase()}'`);
        this.skipStatement(false);
      } else {
        this.unexpected(t, 'a statement (race, era, from, fixed-by, setup, P0..., final, check, expect)');
        this.skipStatement(false);
      }
    }
    return this.out;
  }

  private topStatement(kw: string): void {
    switch (kw) {
      case 'race': return this.raceHeader();
      case 'era': return this.eraHeader();
      case 'from': return this.fromHeader();
      case 'fixed-by': return this.fixedByHeader();
      case 'setup': return this.setup();
      case 'final': return this.finalBlock();
      case 'check': return this.checkLine();
      case 'expect': return this.expectLine();
    }
  }

  private duplicate(kw: Token, first: Range): void {
    this.sink.error(kw.range, 'duplicate-header',
      `duplicate '${kw.text}' (first at ${formatPosition(first.start)})`);
  }

  /** The next token must be a word; otherwise report and skip the statement. */
  private word(expected: string, inBlock = false): Token | undefined {
    const t = this.peek();
    if (t.kind === 'word') return this.next();
    this.unexpected(t, expected);
    this.skipStatement(inBlock);
    return undefined;
  }

  private raceHeader(): void {
    const kw = this.next();
    const name = this.word("a race name after 'race'");
    if (!name) return;
    if (!RACE_NAME_RE.test(name.text)) {
      this.sink.error(name.range, 'bad-name',
        `invalid race name ${describe(name)}: use letters, digits, '_', '-', '.' or '+'`);
    }
    let title = '';
    if (this.peek().kind === 'string') title = this.next().text;
    const range = span(kw.range, this.last.range);
    this.endLine('the race header');
    if (this.out.header) this.duplicate(kw, this.out.header.range);
    else this.out.header = { name: name.text, title, range, nameRange: name.range };
  }

  private eraHeader(): void {
    const kw = this.next();
    const era = this.word("an era after 'era' (e.g. 'era 2.6.19')");
    if (!era) return;
    if (era.text.includes('+')) {
      this.sink.error(era.range, 'bad-name',
        `the default era cannot carry overlays: '${era.text}'; name overlays on 'expect' lines`);
    } else if (!ERA_RE.test(era.text)) {
      this.sink.error(era.range, 'bad-name', `invalid era ${describe(era)}`);
    }
    this.endLine('the era');
    if (this.out.era) this.duplicate(kw, this.out.era.range);
    else this.out.era = { name: era.text, range: era.range };
  }

  private fromHeader(): void {
    const kw = this.next();
    let count = 0;
    while (!this.atLineEnd() && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word' && t.kind !== 'string') {
        this.unexpected(t, 'a document name');
        this.skipStatement(false);
        return;
      }
      this.next();
      if (!this.grow(t)) return;
      this.out.from.push(t.text);
      this.out.fromRanges.push(t.range);
      count++;
    }
    if (count === 0) this.unexpected(this.peek(), `document names after ${describe(kw)}`);
  }

  private fixedByHeader(): void {
    const kw = this.next();
    const commit = this.word("a commit id after 'fixed-by' (e.g. 'fixed-by 7658cc289288 in 2.6.20')");
    if (!commit) return;
    if (!COMMIT_RE.test(commit.text)) {
      this.sink.error(commit.range, 'bad-commit',
        `invalid commit id ${describe(commit)}: expected 7 to 40 hex digits`);
    }
    const inKw = this.peek();
    if (!this.isWord(inKw, 'in')) {
      this.unexpected(inKw, `'in VERSION' after the commit id`);
      this.skipStatement(false);
      return;
    }
    this.next();
    const version = this.word("the version that has the fix after 'in'");
    if (!version) return;
    if (!ERA_RE.test(version.text)) this.sink.error(version.range, 'bad-name', `invalid version ${describe(version)}`);
    if (!this.grow(kw)) return;
    this.out.fixedBy.push({
      commit: commit.text, version: version.text, range: span(kw.range, version.range),
      commitRange: commit.range, versionRange: version.range,
    });
    this.endLine('the version');
  }

  // ---- setup --------------------------------------------------------------------

  /** `{` after a block header, or report; the caller gives up on the statement. */
  private openBrace(after: string, inBlock: boolean): Token | undefined {
    const t = this.peek();
    if (t.kind === '{') return this.next();
    this.unexpected(t, `'{' after ${after}`);
    this.skipStatement(inBlock);
    return undefined;
  }

  private setup(): void {
    const kw = this.next();
    const open = this.openBrace("'setup'", false);
    if (!open) return;
    const setup: Setup = { files: [], mmaps: [], range: kw.range };
    const close = this.block('the setup block', open, 'setup', () => this.setupItem(setup));
    setup.range = span(kw.range, (close ?? this.last).range);
    if (this.out.setup) this.duplicate(kw, this.out.setup.range);
    else this.out.setup = setup;
  }

  private setupItem(setup: Setup): void {
    const t = this.peek();
    if (this.isWord(t, 'fs')) return this.fsDecl(setup);
    if (this.isWord(t, 'file')) return this.fileDecl(setup);
    if (this.isWord(t, 'mmap')) return this.mmapDecl(setup);
    this.unexpected(t, "'fs', 'file' or 'mmap' in setup");
    this.skipStatement(true);
  }

  private fsDecl(setup: Setup): void {
    const kw = this.next();
    const name = this.word("a filesystem name after 'fs' (e.g. 'fs ext3 data=ordered')", true);
    if (!name) return;
    if (!FS_RE.test(name.text)) this.sink.error(name.range, 'bad-name', `invalid filesystem name ${describe(name)}`);
    const options: Record<string, string> = Object.create(null);
    while (!this.atStatementEnd() && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word') {
        this.unexpected(t, 'a KEY=VALUE mount option');
        this.skipStatement(true);
        break;
      }
      this.next();
      const eq = t.text.indexOf('=');
      const key = eq < 0 ? t.text : t.text.slice(0, eq);
      const value = eq < 0 ? '' : t.text.slice(eq + 1);
      if (eq < 0 || !OPT_KEY_RE.test(key) || !OPT_VALUE_RE.test(value)) {
        this.sink.error(t.range, 'bad-name', `invalid mount option ${describe(t)}: expected KEY=VALUE`);
      } else if (key in options) {
        this.sink.error(t.range, 'duplicate-option', `mount option '${key}' given twice`);
      } else {
        options[key] = value;
      }
    }
    // A plain object again, so consumers may use hasOwnProperty and friends.
    const decl: FsDecl = {
      name: name.text, options: { ...options }, range: span(kw.range, this.last.range), nameRange: name.range,
    };
    if (setup.fs) this.duplicate(kw, setup.fs.range);
    else setup.fs = decl;
  }

  private fileDecl(setup: Setup): void {
    const kw = this.next();
    const name = this.word("a file name after 'file' (e.g. 'file F { page P index 0 }')", true);
    if (!name || !this.grow(kw)) return;
    const file: FileDecl = { name: name.text, pages: [], range: span(kw.range, name.range), nameRange: name.range };
    setup.files.push(file);
    if (this.peek().kind !== '{') {
      // A file may start with no pages in the page cache.
      this.endLine(`file '${name.text}'`, true);
      return;
    }
    const open = this.next();
    const close = this.block(`file '${name.text}'`, open, 'inner', () => this.pageDecl(file));
    file.range = span(kw.range, (close ?? this.last).range);
  }

  private pageDecl(file: FileDecl): void {
    const kw = this.peek();
    if (!this.isWord(kw, 'page')) {
      this.unexpected(kw, `'page NAME index N ...' in file '${file.name}'`);
      this.skipStatement(true);
      return;
    }
    this.next();
    const name = this.word("a page name after 'page'", true);
    if (!name) return;
    const flags: PageFlags = { uptodate: false, dirty: false, writeback: false, locked: false, delalloc: false };
    let index: number | undefined;
    let buffers = 0;
    let delallocTok: Token | undefined;
    // Page words run to the end of the statement or to the next `page`.
    while (!this.atStatementEnd() && !this.isWord(this.peek(), 'page') && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word') {
        this.unexpected(t, 'a page word (index, buffers, uptodate, dirty, writeback, locked, delalloc)');
        this.skipStatement(true);
        break;
      }
      this.next();
      switch (t.text) {
        case 'index': {
          const n = this.number(t, 0, Number.MAX_SAFE_INTEGER, 'page index must be an integer >= 0');
          if (index !== undefined) this.sink.error(t.range, 'conflicting-words', `'index' given twice for page '${name.text}'`);
          else if (n !== undefined) index = n;
          else index = -1; // reported; keeps 'missing index' quiet
          break;
        }
        case 'buffers': {
          const n = this.number(t, 1, MAX_BUFFERS, `buffers must be between 1 and ${MAX_BUFFERS}`);
          if (n !== undefined) buffers = n;
          break;
        }
        case 'uptodate': case 'dirty': case 'writeback': case 'locked':
          flags[t.text] = true;
          break;
        case 'delalloc':
          flags.delalloc = true;
          delallocTok = t;
          break;
        default:
          this.sink.error(t.range, 'unknown-word',
            `unknown page word ${describe(t)} (expected index N, buffers N, uptodate, dirty, writeback, locked, delalloc)`);
      }
    }
    if (!this.grow(kw)) return;
    const range = span(kw.range, this.last.range);
    if (index === undefined) {
      this.sink.error(name.range, 'missing-index', `page '${name.text}' needs 'index N'`);
    }
    if (delallocTok && buffers === 0) {
      this.sink.error(delallocTok.range, 'conflicting-words',
        `'delalloc' applies to the page's buffers; page '${name.text}' needs 'buffers N'`);
    }
    file.pages.push({
      name: name.text, file: file.name, index: index ?? 0, buffers, flags, range, nameRange: name.range,
    } satisfies PageDecl);
  }

  /** The integer after `index`/`buffers`, checked against its bounds. */
  private number(kw: Token, min: number, max: number, rule: string): number | undefined {
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

  private mmapDecl(setup: Setup): void {
    const kw = this.next();
    const name = this.word("a mapping name after 'mmap' (e.g. 'mmap U = F shared')", true);
    if (!name) return;
    if (name.text.includes('=')) {
      this.sink.error(name.range, 'bad-name', `write 'mmap ${name.text.replace('=', ' = ')} ...' with spaces around '='`);
      this.skipStatement(true);
      return;
    }
    if (!this.isWord(this.peek(), '=')) {
      this.unexpected(this.peek(), `'=' after mapping name '${name.text}' (e.g. 'mmap U = F shared')`);
      this.skipStatement(true);
      return;
    }
    this.next();
    const file = this.word(`the mapped file's name after 'mmap ${name.text} ='`, true);
    if (!file) return;
    const sharing = this.peek();
    if (!this.isWord(sharing, 'shared') && !this.isWord(sharing, 'private')) {
      this.unexpected(sharing, `'shared' or 'private' after 'mmap ${name.text} = ${file.text}'`);
      this.skipStatement(true);
      return;
    }
    this.next();
    if (!this.grow(kw)) return;
    const mmap: MmapDecl = {
      name: name.text, file: file.text, shared: sharing.text === 'shared', ptes: [],
      range: span(kw.range, sharing.range), nameRange: name.range, fileRange: file.range,
    };
    setup.mmaps.push(mmap);
    if (this.peek().kind !== '{') {
      // No PTEs yet: every page of the mapping faults on first touch.
      this.endLine(`'${sharing.text}'`, true);
      return;
    }
    const open = this.next();
    const close = this.block(`mapping '${name.text}'`, open, 'inner', () => this.pteDecl(mmap));
    mmap.range = span(kw.range, (close ?? this.last).range);
  }

  private pteDecl(mmap: MmapDecl): void {
    const page = this.word(`a page name in mapping '${mmap.name}' (e.g. 'P present writable dirty')`, true);
    if (!page) return;
    const seen = new Map<string, Token>();
    while (!this.atStatementEnd() && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word') {
        this.unexpected(t, 'a PTE word (present, absent, readonly, writable, clean, dirty)');
        this.skipStatement(true);
        break;
      }
      this.next();
      switch (t.text) {
        case 'present': case 'absent': case 'readonly': case 'writable': case 'clean': case 'dirty':
          seen.set(t.text, t);
          break;
        default:
          this.sink.error(t.range, 'unknown-word',
            `unknown PTE word ${describe(t)} (expected present|absent, readonly|writable, clean|dirty); separate pages with ';' or a new line`);
      }
    }
    for (const [a, b] of [['present', 'absent'], ['readonly', 'writable'], ['clean', 'dirty']] as const) {
      const tb = seen.get(b);
      if (seen.has(a) && tb) this.sink.error(tb.range, 'conflicting-words', `'${a}' and '${b}' contradict each other`);
    }
    const absent = seen.get('absent');
    if (absent && !seen.has('present') && (seen.has('writable') || seen.has('dirty'))) {
      this.sink.error(absent.range, 'conflicting-words', `an absent PTE cannot be writable or dirty`);
    }
    if (!this.grow(page)) return;
    const pte: PteDecl = {
      page: page.text,
      present: !seen.has('absent'),
      writable: seen.has('writable'),
      dirty: seen.has('dirty'),
      range: span(page.range, this.last.range),
      pageRange: page.range,
    };
    mmap.ptes.push(pte);
  }

  // ---- CPU blocks and calls -----------------------------------------------------

  private cpuBlock(): void {
    const name = this.next();
    const digits = name.text.slice(1);
    const index = Number(digits);
    if ((digits.length > 1 && digits.startsWith('0')) || index >= MAX_CPUS) {
      this.sink.error(name.range, 'bad-cpu-block',
        `bad CPU block name ${describe(name)}: CPU blocks are P0, P1, ... up to P${MAX_CPUS - 1}`);
    }
    let label = this.peek();
    if (label.kind === '{') {
      this.sink.error(name.range, 'missing-label', `missing label after '${name.text}' (e.g. '${name.text} writer {')`);
    } else if (label.kind === 'word') {
      this.next();
      if (!LABEL_RE.test(label.text)) {
        this.sink.error(label.range, 'bad-name',
          `invalid label ${describe(label)}: use letters, digits, '_' and '-'`);
      }
    } else {
      this.unexpected(label, `a label after '${name.text}' (e.g. '${name.text} writer {')`);
      this.skipStatement(false);
      return;
    }
    const labelText = label.kind === 'word' ? label.text : '';
    const labelRange = label.kind === 'word' ? label.range : name.range;
    const open = this.openBrace(labelText ? `'${name.text} ${labelText}'` : `'${name.text}'`, false);
    if (!open) return;
    const errorsBefore = this.sink.errors;
    const calls: Call[] = [];
    const close = this.block(`the ${name.text} block`, open, 'top', () => this.statement(calls));
    if (!this.grow(name)) return;
    const block: CpuBlock = {
      name: name.text, index, label: labelText, calls,
      range: span(name.range, (close ?? this.last).range), nameRange: name.range, labelRange,
    };
    // A block whose calls all failed to parse is not "empty"; say nothing more.
    if (close && calls.length === 0 && this.sink.errors === errorsBefore) {
      this.sink.warning(name.range, 'empty-block', `${name.text} has no calls; it cannot race with anything`);
    }
    this.out.cpus.push(block);
  }

  private finalBlock(): void {
    const kw = this.next();
    const open = this.openBrace("'final'", false);
    if (!open) return;
    const calls: Call[] = [];
    const close = this.block('the final block', open, 'top', () => this.statement(calls));
    const range = span(kw.range, (close ?? this.last).range);
    if (this.out.final) this.duplicate(kw, this.out.final.range);
    else this.out.final = { calls, range };
  }

  /** One call inside a CPU or final block, plus its separator. */
  private statement(calls: Call[]): void {
    const call = this.call();
    if (!call) {
      this.skipStatement(true);
      return;
    }
    if (!this.grow(this.last)) return;
    calls.push(call);
    if (this.atStatementEnd()) return;
    this.unexpected(this.peek(), `';' or a new line after '${call.name}(...)'`);
    // A word most likely starts the next call, so parse on from it; anything else is junk.
    if (this.peek().kind !== 'word') this.skipStatement(true);
  }

  private call(): Call | undefined {
    const name = this.peek();
    if (name.kind !== 'word') {
      this.unexpected(name, 'a call such as store(U, P, 0)');
      return undefined;
    }
    this.next();
    if (!IDENT_RE.test(name.text)) {
      this.sink.error(name.range, 'bad-name', `invalid operation name ${describe(name)}`);
    }
    if (this.peek().kind !== '(') {
      this.unexpected(this.peek(), `'(' after ${describe(name)}: calls are written name(arg, ...)`);
      return undefined;
    }
    this.next();
    const args: Arg[] = [];
    if (this.peek().kind === ')') {
      this.next();
    } else {
      for (;;) {
        const arg = this.arg();
        if (!arg || !this.grow(this.last)) return undefined;
        args.push(arg);
        const t = this.peek();
        if (t.kind === ',') {
          this.next();
          continue;
        }
        if (t.kind === ')') {
          this.next();
          break;
        }
        if (t.kind === 'newline' || t.kind === 'eof' || t.kind === ';' || t.kind === '}') {
          this.sink.error(t.range, 'unexpected-token',
            `missing ')' to close '${name.text}(' before ${describe(t)}`);
        } else {
          this.unexpected(t, `',' or ')' in the arguments of '${name.text}'`);
        }
        return undefined;
      }
    }
    return { name: name.text, args, range: span(name.range, this.last.range), nameRange: name.range };
  }

  private arg(): Arg | undefined {
    const t = this.peek();
    if (t.kind !== 'word') {
      this.unexpected(t, 'an argument (an object name, a number or MAPPING[PAGE])');
      return undefined;
    }
    this.next();
    if (/^[-0-9]/.test(t.text)) {
      const neg = t.text.startsWith('-');
      const magnitude = INT_RE.test(t.text) ? Number(neg ? t.text.slice(1) : t.text) : NaN;
      const value = neg && magnitude !== 0 ? -magnitude : magnitude;
      if (!Number.isSafeInteger(value)) this.sink.error(t.range, 'bad-number', `invalid number ${describe(t)}`);
      return { kind: 'int', value: Number.isSafeInteger(value) ? value : 0, range: t.range };
    }
    if (!IDENT_RE.test(t.text)) {
      this.sink.error(t.range, 'bad-name', `invalid argument ${describe(t)}: expected an object name, a number or MAPPING[PAGE]`);
    }
    if (this.peek().kind !== '[') {
      return { kind: 'object', name: t.text, objectKind: 'file', range: t.range };
    }
    this.next();
    const page = this.peek();
    if (page.kind !== 'word') {
      this.unexpected(page, `a page name in '${t.text}[...]'`);
      return undefined;
    }
    this.next();
    const close = this.peek();
    if (close.kind !== ']') {
      this.unexpected(close, `']' after '${t.text}[${page.text}'`);
      return undefined;
    }
    this.next();
    return {
      kind: 'pte', mmap: t.text, page: page.text,
      range: span(t.range, close.range), mmapRange: t.range, pageRange: page.range,
    };
  }

  // ---- check and expect ---------------------------------------------------------

  private checkLine(): void {
    const kw = this.next();
    this.out.sawCheck = true;
    let count = 0;
    while (!this.atLineEnd() && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word') {
        this.unexpected(t, 'an invariant name');
        this.skipStatement(false);
        return;
      }
      this.next();
      count++;
      if (!this.grow(t)) return;
      if (!LABEL_RE.test(t.text)) {
        this.sink.error(t.range, 'bad-name', `invalid invariant name ${describe(t)}`);
        continue;
      }
      this.out.checks.push({ id: t.text, range: t.range });
    }
    if (count === 0) {
      this.sink.error(kw.range, 'missing-invariant', `'check' needs at least one invariant (e.g. 'check lost-write')`);
    }
  }

  private expectLine(): void {
    const kw = this.next();
    const spec = this.word("an era after 'expect' (e.g. 'expect 2.6.19 holds')");
    if (!spec) return;
    const parts = spec.text.split('+');
    let at = 0;
    const partRanges = parts.map((p) => {
      const r = subRange(spec, at, at + p.length);
      at += p.length + 1;
      return r;
    });
    const [era, ...overlays] = parts as [string, ...string[]];
    if (!ERA_RE.test(era)) this.sink.error(partRanges[0]!, 'bad-name', `invalid era '${era}' in ${describe(spec)}`);
    overlays.forEach((o, i) => {
      if (!OVERLAY_RE.test(o)) {
        this.sink.error(partRanges[i + 1]!, 'bad-name',
          o === '' ? `empty overlay name in ${describe(spec)}` : `invalid overlay '${o}' in ${describe(spec)}`);
      }
    });
    let fs: Token | undefined;
    if (this.isWord(this.peek(), 'fs')) {
      this.next();
      fs = this.word("a filesystem name after 'fs'");
      if (!fs) return;
      if (!FS_RE.test(fs.text)) this.sink.error(fs.range, 'bad-name', `invalid filesystem name ${describe(fs)}`);
    }
    const v = this.peek();
    if (v.kind !== 'word' || !VERDICTS.has(v.text)) {
      if (this.atLineEnd()) {
        this.sink.error(span(kw.range, this.last.range), 'missing-verdict',
          `'expect ${spec.text}' needs a verdict: holds, violated INVARIANT... or incomplete`);
      } else {
        this.sink.error(v.range, 'missing-verdict',
          `unknown verdict ${describe(v)}: expected holds, violated INVARIANT... or incomplete`);
        this.skipStatement(false);
      }
      return;
    }
    this.next();
    const invariants: string[] = [];
    const invariantRanges: Range[] = [];
    while (!this.atLineEnd() && !this.stopped) {
      const t = this.peek();
      if (v.text !== 'violated' || t.kind !== 'word') {
        this.unexpected(t, v.text === 'violated' ? 'an invariant name' : `end of line after '${v.text}'`);
        this.skipStatement(false);
        break;
      }
      this.next();
      if (!LABEL_RE.test(t.text)) this.sink.error(t.range, 'bad-name', `invalid invariant name ${describe(t)}`);
      if (!this.grow(t)) return;
      invariants.push(t.text);
      invariantRanges.push(t.range);
    }
    if (v.text === 'violated' && invariants.length === 0) {
      this.sink.error(v.range, 'missing-invariant',
        `'violated' needs the invariants that break (e.g. 'violated lost-write')`);
    }
    if (!this.grow(kw)) return;
    const expect: Expect = {
      eraSpec: spec.text, era, overlays, verdict: v.text as Verdict, invariants,
      range: span(kw.range, this.last.range), eraSpecRange: spec.range,
      eraRange: partRanges[0]!, overlayRanges: partRanges.slice(1), invariantRanges,
    };
    if (fs) {
      expect.fs = fs.text;
      expect.fsRange = fs.range;
    }
    this.out.expects.push(expect);
  }
}

export function parseSyntax(text: string, sink: DiagnosticSink): ParsedRace {
  return new Parser(text, sink).parse();
}
