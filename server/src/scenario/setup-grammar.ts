/**
 * The `setup { ... }` block of a `.race` file: the filesystem, files with their pages
 * (index, buffers, flags) and shared mappings with their PTEs. A grammar layer over the
 * token cursor; parser.ts adds the rest of the file on top of it.
 */

import type { FileDecl, FsDecl, MmapDecl, PageDecl, PageFlags, PteDecl, Setup } from './ast.js';
import type { Token } from './lexer.js';
import { TokenCursor, FS_RE, OPT_KEY_RE, OPT_VALUE_RE, MAX_BUFFERS, span, describe } from './token-cursor.js';

export abstract class SetupGrammar extends TokenCursor {
  // ---- setup --------------------------------------------------------------------


  protected setup(): void {
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
    const flags: PageFlags = { uptodate: false, dirty: false, writeback: false, locked: false, delalloc: false, pinned: false, free: false, absent: false };
    let index: number | undefined;
    let buffers = 0;
    let delallocTok: Token | undefined;
    let absentTok: Token | undefined;
    let tailOf: string | undefined;
    // Page words run to the end of the statement or to the next `page`.
    while (!this.atStatementEnd() && !this.isWord(this.peek(), 'page') && !this.stopped) {
      const t = this.peek();
      if (t.kind !== 'word') {
        this.unexpected(t, 'a page word (index, buffers, uptodate, dirty, writeback, locked, delalloc, pinned, free, absent, tail)');
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
        case 'uptodate': case 'dirty': case 'writeback': case 'locked': case 'pinned': case 'free':
          flags[t.text] = true;
          break;
        case 'delalloc':
          flags.delalloc = true;
          delallocTok = t;
          break;
        case 'absent':
          flags.absent = true;
          absentTok = t;
          break;
        case 'tail': {
          // a tail page of the compound page (large folio) whose head is the named page
          const head = this.word(`the head page's name after 'tail' (page '${name.text}')`, true);
          if (head) tailOf = head.text;
          break;
        }
        default:
          this.sink.error(t.range, 'unknown-word',
            `unknown page word ${describe(t)} (expected index N, buffers N, uptodate, dirty, writeback, locked, delalloc, pinned, free, absent, tail HEAD)`);
      }
    }
    if (!this.grow(kw)) return;
    const range = span(kw.range, this.last.range);
    if (index === undefined) {
      this.sink.error(name.range, 'missing-index', `page '${name.text}' needs 'index N'`);
    }
    if (flags.free && (buffers > 0 || flags.dirty || flags.writeback || flags.locked || flags.pinned)) {
      this.sink.error(name.range, 'conflicting-words',
        `page '${name.text}' is 'free' (in no page cache): it has no buffers and no dirty, writeback, locked or pinned state`);
    }
    if (delallocTok && buffers === 0) {
      this.sink.error(delallocTok.range, 'conflicting-words',
        `'delalloc' applies to the page's buffers; page '${name.text}' needs 'buffers N'`);
    }
    // a page outside the page cache has no state of its own yet: no flags, no buffers
    if (absentTok && (buffers > 0 || flags.uptodate || flags.dirty || flags.writeback || flags.locked)) {
      this.sink.error(absentTok.range, 'conflicting-words',
        `page '${name.text}' is 'absent' (not in the page cache): it takes no buffers and no flags until a write adds it`);
    }
    if (tailOf !== undefined && (buffers > 0 || flags.uptodate || flags.dirty || flags.writeback || flags.locked || flags.pinned || flags.free || flags.absent)) {
      this.sink.error(name.range, 'conflicting-words',
        `page '${name.text}' is a tail of '${tailOf}': its state is its head's (flags, buffers, references) until a split gives it its own`);
    }
    if (tailOf !== undefined) {
      const head = file.pages.find((p) => p.name === tailOf);
      const offset = head ? (index ?? 0) - head.index : 0;
      const before = file.pages.filter((p) => p.tailOf === tailOf).length;
      if (!head || head.tailOf !== undefined) this.sink.error(name.range, 'conflicting-words', `page '${name.text}': 'tail ${tailOf}' names no head page declared before it in file '${file.name}'`);
      else if (offset !== before + 1) this.sink.error(name.range, 'conflicting-words', `page '${name.text}' is tail ${before + 1} of '${tailOf}': its index must be ${head.index + before + 1}`);
    }
    file.pages.push({
      name: name.text, file: file.name, index: index ?? 0, buffers, flags, range, nameRange: name.range,
      ...(tailOf !== undefined ? { tailOf } : {}),
    } satisfies PageDecl);
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
}
