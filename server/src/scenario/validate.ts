/**
 * Meaning of a parsed `.race` file: required parts, names resolved against setup,
 * CPU blocks numbered without gaps, and eras, overlays, filesystems, invariants and
 * operations checked against what the caller knows. Runs after the whole file is
 * parsed so declarations may appear in any order.
 */

import type {
  Arg, Call, CpuBlock, FileDecl, MmapDecl, ObjectKind, PageDecl, Position, Range, RaceFile,
} from './ast.js';
import { formatPosition, type DiagnosticSink } from './diagnostics.js';
import {
  CPU_NAME_RE, IDENT_RE, MAX_CPUS, isEraName, isOverlayName, isReservedName, type ParsedRace,
} from './parser.js';

export interface ParseOptions {
  /** Name used in diagnostics. */
  file: string;
  /** Known eras; when given, any other era is an error. */
  eras?: readonly string[];
  /** Known overlays for ERA+OVERLAY. */
  overlays?: readonly string[];
  /** Known invariant ids. */
  invariants?: readonly string[];
  /** Known call names. */
  isOperation?: (name: string) => boolean;
  /**
   * The argument counts a call may have (every era's models and every use of a
   * primitive agree on them), with parameter names when known; undefined: not known.
   */
  arity?: (name: string) => { counts: readonly number[]; params?: readonly string[] } | undefined;
  /** Known filesystem names. */
  filesystems?: readonly string[];
}

type Sym =
  | { kind: 'file'; range: Range; decl: FileDecl }
  | { kind: 'page'; range: Range; decl: PageDecl }
  | { kind: 'mmap'; range: Range; decl: MmapDecl };

const KIND_NAMES: Record<ObjectKind, string> = { file: 'a file', page: 'a page', mmap: 'a mapping', cpu: 'a CPU' };

/** Operations whose arguments are CPUs (the tasks they run), with how many they take. */
const TASK_OPERATIONS: Readonly<Record<string, number>> = { kill: 1 };

const START: Position = { line: 1, column: 1 };

/** The list in an "unknown X" message; long lists are cut so the message stays a line. */
function known(list: readonly string[]): string {
  if (list.length === 0) return 'none are known';
  const shown = list.slice(0, 12).join(', ');
  return 'known: ' + (list.length > 12 ? `${shown}, ... (${list.length} in all)` : shown);
}

/** The first `width` columns of a range, so a block's error marks its keyword only. */
function head(r: Range, width: number): Range {
  return { start: r.start, end: { line: r.start.line, column: r.start.column + width } };
}

class Validator {
  private readonly symbols = new Map<string, Sym>();
  /** Where "missing X" is reported: the race name if there is one, else the top. */
  private readonly anchor: Range;

  constructor(
    private readonly p: ParsedRace,
    private readonly opts: ParseOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.anchor = p.header?.nameRange ?? { start: START, end: START };
  }

  run(): RaceFile | undefined {
    const p = this.p;
    this.required();
    if (p.era) this.era(p.era.name, p.era.range);
    if (p.setup) this.declare();
    const cpus = this.cpus();
    for (const cpu of p.cpus) this.calls(cpu.calls);
    if (p.final) this.calls(p.final.calls);
    this.checks();
    this.expects();
    if (this.sink.errors > 0 || !p.header || !p.era || !p.setup) return undefined;
    const race: RaceFile = {
      name: p.header.name, title: p.header.title, from: p.from, fromRanges: p.fromRanges,
      fixedBy: p.fixedBy, era: p.era.name, eraRange: p.era.range, setup: p.setup, cpus,
      final: p.final?.calls ?? [], checks: p.checks, expects: p.expects,
      range: p.header.range, nameRange: p.header.nameRange,
    };
    if (p.final) race.finalRange = p.final.range;
    return race;
  }

  private required(): void {
    const p = this.p;
    // A file cut off inside a block has already been told so; whatever else is
    // "missing" was most likely in the part that was cut.
    if (p.endedInBlock) return;
    if (!p.header) {
      this.sink.error({ start: START, end: START }, 'missing-race',
        `missing 'race NAME "TITLE"' line at the top of the file`);
    }
    if (!p.era) {
      this.sink.error(this.anchor, 'missing-era', `missing 'era ERA' line giving the default era (e.g. 'era 2.6.19')`);
    }
    if (!p.setup) {
      this.sink.error(this.anchor, 'missing-setup', `missing 'setup { ... }' block declaring the files, pages and mappings`);
    } else if (p.setup.files.length === 0) {
      this.sink.error(head(p.setup.range, 5), 'no-files', `setup declares no files (e.g. 'file F { page P index 0 }')`);
    }
    if (!p.sawCheck) {
      this.sink.error(this.anchor, 'missing-check', `missing 'check' line naming the invariants to check (e.g. 'check lost-write')`);
    }
  }

  private era(name: string, range: Range): void {
    const eras = this.opts.eras;
    if (eras && isEraName(name) && !eras.includes(name)) {
      this.sink.error(range, 'unknown-era', `unknown era '${name}' (${known(eras)})`);
    }
  }

  private filesystem(name: string, range: Range): void {
    const list = this.opts.filesystems;
    if (list && !list.includes(name)) {
      this.sink.error(range, 'unknown-filesystem', `unknown filesystem '${name}' (${known(list)})`);
    }
  }

  // ---- setup objects ------------------------------------------------------------

  private define(name: string, sym: Sym): void {
    // Bad names are still defined, so their uses do not cascade into "undefined".
    if (!IDENT_RE.test(name)) {
      this.sink.error(sym.range, 'bad-name',
        `invalid name '${name}': object names are identifiers ([A-Za-z_][A-Za-z0-9_]*)`);
    }
    if (isReservedName(name)) {
      this.sink.error(sym.range, 'bad-name', `'${name}' is reserved for the language; pick another name`);
    }
    const prev = this.symbols.get(name);
    if (prev) {
      this.sink.error(sym.range, 'duplicate-name',
        `duplicate name '${name}': already declared as ${KIND_NAMES[prev.kind]} at ${formatPosition(prev.range.start)}`);
      return;
    }
    this.symbols.set(name, sym);
  }

  private declare(): void {
    const setup = this.p.setup!;
    if (setup.fs) this.filesystem(setup.fs.name, setup.fs.nameRange);
    for (const file of setup.files) {
      this.define(file.name, { kind: 'file', range: file.nameRange, decl: file });
      for (const page of file.pages) this.define(page.name, { kind: 'page', range: page.nameRange, decl: page });
    }
    for (const mmap of setup.mmaps) {
      this.define(mmap.name, { kind: 'mmap', range: mmap.nameRange, decl: mmap });
    }
    for (const mmap of setup.mmaps) this.mmap(mmap);
  }

  private mmap(mmap: MmapDecl): void {
    const file = this.lookup(mmap.file, mmap.fileRange, 'file', `'mmap ${mmap.name} = FILE' needs a file`);
    const listed = new Map<string, Range>();
    for (const pte of mmap.ptes) {
      const prev = listed.get(pte.page);
      if (prev) {
        this.sink.error(pte.pageRange, 'duplicate-name',
          `page '${pte.page}' listed twice in mapping '${mmap.name}' (first at ${formatPosition(prev.start)})`);
        continue;
      }
      listed.set(pte.page, pte.pageRange);
      const page = this.lookup(pte.page, pte.pageRange, 'page', `mapping '${mmap.name}' lists PTEs of pages`);
      if (file && page) this.pageInFile(page.decl as PageDecl, pte.pageRange, mmap);
    }
  }

  /** Resolve a name to a symbol of the wanted kind, reporting why it is not one. */
  private lookup(name: string, range: Range, want: ObjectKind, why: string): Sym | undefined {
    const sym = this.symbols.get(name);
    if (!sym) {
      this.sink.error(range, 'undefined-object',
        `unknown ${want === 'mmap' ? 'mapping' : want} '${name}': not declared in setup`);
      return undefined;
    }
    if (sym.kind !== want) {
      this.sink.error(range, 'wrong-object-kind', `'${name}' is ${KIND_NAMES[sym.kind]}, not ${KIND_NAMES[want]}: ${why}`);
      return undefined;
    }
    return sym;
  }

  private pageInFile(page: PageDecl, range: Range, mmap: MmapDecl): void {
    if (page.file !== mmap.file) {
      this.sink.error(range, 'page-not-in-file',
        `page '${page.name}' is in file '${page.file}', but mapping '${mmap.name}' maps file '${mmap.file}'`);
    }
  }

  // ---- CPU blocks and calls -----------------------------------------------------

  /** Duplicates and gaps are reported; the result is ordered by index. */
  private cpus(): CpuBlock[] {
    const blocks = this.p.cpus;
    if (blocks.length === 0) {
      if (this.p.endedInBlock) return [];
      this.sink.error(this.anchor, 'no-cpu-blocks', `no CPU blocks: a race needs at least 'P0 LABEL { ... }'`);
      return [];
    }
    const byIndex = new Map<number, CpuBlock>();
    for (const b of blocks) {
      if (!(b.index < MAX_CPUS) || b.name !== `P${b.index}`) continue; // reported by the parser
      const prev = byIndex.get(b.index);
      if (prev) {
        this.sink.error(b.nameRange, 'duplicate-cpu-block',
          `duplicate CPU block ${b.name} (first at ${formatPosition(prev.nameRange.start)})`);
      } else {
        byIndex.set(b.index, b);
      }
    }
    const sorted = [...byIndex.values()].sort((a, b) => a.index - b.index);
    let expected = 0;
    for (const b of sorted) {
      if (b.index > expected) {
        const missing = b.index - expected === 1 ? `block P${expected}` : `blocks P${expected} to P${b.index - 1}`;
        this.sink.error(b.nameRange, 'missing-cpu-block',
          `missing CPU ${missing}: CPU blocks are numbered P0, P1, ... without gaps`);
      }
      expected = b.index + 1;
    }
    return sorted;
  }

  private calls(calls: readonly Call[]): void {
    const isOperation = this.opts.isOperation;
    for (const call of calls) {
      if (Object.hasOwn(TASK_OPERATIONS, call.name)) {
        this.taskCall(call, TASK_OPERATIONS[call.name]!);
        continue;
      }
      if (isOperation && !isOperation(call.name)) {
        this.sink.error(call.nameRange, 'unknown-operation', `unknown operation '${call.name}'`);
      } else {
        this.arity(call);
      }
      for (const arg of call.args) this.arg(arg, call);
    }
  }

  /** `kill(P1)`: exactly `count` CPU blocks of this file, each the task its CPU runs. */
  private taskCall(call: Call, count: number): void {
    if (call.args.length !== count) {
      this.sink.error(call.range, 'wrong-arity',
        `'${call.name}' takes ${count} argument${count === 1 ? '' : 's'} (a CPU, e.g. '${call.name}(P1)'), given ${call.args.length}`);
      return;
    }
    for (const arg of call.args) {
      const text = arg.kind === 'int' ? String(arg.value) : arg.kind === 'object' ? arg.name : `${arg.mmap}[${arg.page}]`;
      if (arg.kind !== 'object' || !CPU_NAME_RE.test(arg.name)) {
        this.sink.error(arg.range, 'wrong-object-kind', `'${call.name}' needs a CPU (P0, P1, ...), given '${text}'`);
      } else if (!this.p.cpus.some((b) => b.name === arg.name)) {
        this.sink.error(arg.range, 'undefined-object', `unknown CPU '${arg.name}' in '${call.name}(...)': no CPU block of that name`);
      } else {
        arg.objectKind = 'cpu';
      }
    }
  }

  private arity(call: Call): void {
    const want = this.opts.arity?.(call.name);
    if (!want || want.counts.length === 0 || want.counts.includes(call.args.length)) return;
    const counts = [...want.counts].sort((a, b) => a - b);
    const n = counts.length === 1 ? `${counts[0]} argument${counts[0] === 1 ? '' : 's'}`
      : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]} arguments`;
    const params = want.params?.length ? ` (${want.params.join(', ')})` : '';
    this.sink.error(call.range, 'wrong-arity', `'${call.name}' takes ${n}${params}, given ${call.args.length}`);
  }

  private arg(arg: Arg, call: Call): void {
    if (arg.kind === 'int') return;
    if (arg.kind === 'object') {
      const sym = this.symbols.get(arg.name);
      if (!sym && CPU_NAME_RE.test(arg.name)) {
        this.sink.error(arg.range, 'wrong-object-kind',
          `'${arg.name}' is a CPU: only kill(...) takes a CPU, '${call.name}(...)' takes files, pages and mappings`);
      } else if (sym) {
        arg.objectKind = sym.kind;
      } else {
        this.sink.error(arg.range, 'undefined-object',
          `unknown object '${arg.name}' in '${call.name}(...)': no file, page or mapping of that name in setup`);
      }
      return;
    }
    const text = `${arg.mmap}[${arg.page}]`;
    const mmap = this.lookup(arg.mmap, arg.mmapRange, 'mmap', `'${text}' names a PTE of a mapping declared with 'mmap'`);
    const page = this.lookup(arg.page, arg.pageRange, 'page', `'${text}' names the PTE of a page`);
    if (mmap && page) this.pageInFile(page.decl as PageDecl, arg.pageRange, mmap.decl as MmapDecl);
  }

  // ---- check and expect ---------------------------------------------------------

  private invariant(id: string, range: Range): boolean {
    const list = this.opts.invariants;
    if (list && !list.includes(id)) {
      this.sink.error(range, 'unknown-invariant', `unknown invariant '${id}' (${known(list)})`);
      return false;
    }
    return true;
  }

  private checks(): void {
    const seen = new Map<string, Range>();
    for (const c of this.p.checks) {
      const prev = seen.get(c.id);
      if (prev) {
        this.sink.warning(c.range, 'duplicate-invariant',
          `invariant '${c.id}' is already checked (at ${formatPosition(prev.start)})`);
        continue;
      }
      seen.set(c.id, c.range);
      this.invariant(c.id, c.range);
    }
  }

  private expects(): void {
    const checked = new Set(this.p.checks.map((c) => c.id));
    const runs = new Map<string, Range>();
    const overlays = this.opts.overlays;
    for (const e of this.p.expects) {
      this.era(e.era, e.eraRange);
      e.overlays.forEach((o, i) => {
        if (overlays && isOverlayName(o) && !overlays.includes(o)) {
          this.sink.error(e.overlayRanges[i]!, 'unknown-overlay', `unknown overlay '${o}' (${known(overlays)})`);
        }
      });
      if (e.fs !== undefined && e.fsRange) this.filesystem(e.fs, e.fsRange);
      e.invariants.forEach((id, i) => {
        const range = e.invariantRanges[i]!;
        if (this.invariant(id, range) && !checked.has(id)) {
          this.sink.warning(range, 'expect-not-checked',
            `invariant '${id}' is expected to be violated but is not in 'check', so it is never checked`);
        }
      });
      const run = e.fs === undefined ? e.eraSpec : `${e.eraSpec} fs ${e.fs}`;
      const prev = runs.get(run);
      if (prev) {
        this.sink.error(e.range, 'duplicate-expect',
          `duplicate expect for '${run}' (first at ${formatPosition(prev.start)})`);
      } else {
        runs.set(run, e.range);
      }
    }
  }
}

export function validate(parsed: ParsedRace, opts: ParseOptions, sink: DiagnosticSink): RaceFile | undefined {
  return new Validator(parsed, opts, sink).run();
}
