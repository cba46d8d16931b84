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
  Arg, Call, CpuBlock, Expect, Range, Verdict,
} from './ast.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Token } from './lexer.js';
import { SetupGrammar } from './setup-grammar.js';
import { IDENT_RE, LABEL_RE, RACE_NAME_RE, ERA_RE, OVERLAY_RE, FS_RE, COMMIT_RE, CPU_NAME_RE, INT_RE, MAX_CPUS, TOP_KEYWORDS, VERDICTS, span, subRange, describe, type ParsedRace } from './token-cursor.js';

export { CPU_NAME_RE, IDENT_RE, MAX_BUFFERS, MAX_CPUS, MAX_NODES, isEraName, isOverlayName, isReservedName, type ParsedRace } from './token-cursor.js';

export class Parser extends SetupGrammar {
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
