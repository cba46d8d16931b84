/**
 * Assumptions: places where the model could not follow the kernel code and went on
 * anyway (an unknown call taken as 0, an unknown identifier taken as 0). A verdict
 * rests on them, so a run lists every one it met, with file, line and column, and
 * `racelens explain` lists those a function's body holds.
 */
import { refKind, type Expr, type FunctionProgram, type Instr, type Origin, type Value } from './program.js';
import { constantValue } from './constants.js';
import { walkExpr } from './expr-walk.js';

export interface Assumption {
  /** 'unknown-call' | 'unknown-identifier' | ... (AssumptionJson's kinds) */
  kind: string;
  /** the function whose body holds it */
  function?: string;
  message: string;
  at?: { file: string; line: number; column: number };
}

/** Kinds of object reference that name modeled state a callee could change. */
const MODELED_KINDS: ReadonlySet<string> = new Set([
  'page', 'mapping', 'inode', 'file', 'iocb', 'bh', 'vma', 'mm', 'wbc', 'lock', 'refcount', 'addr', 'pte', 'sb',
  'vmf', 'ptep', 'ptev', 'pmd', 'stk',
]);

/** Whether a value is (the address of) something the simulator models. */
export function isModeledObject(v: Value): boolean {
  const kind = refKind(v);
  return kind !== undefined && MODELED_KINDS.has(kind);
}

export function assumptionAt(file: string | undefined, at: Origin | undefined): Assumption['at'] | undefined {
  if (!at) return undefined;
  return { file: file ?? '?', line: at.line, column: at.column ?? 1 };
}

export function unknownCallMessage(name: string, resultUsed: boolean): string {
  return resultUsed
    ? `unknown call ${name}(): no model, its result is taken as 0`
    : `unknown call ${name}() on modeled objects: no model, taken as a no-op (what it would change is not changed)`;
}

export function unknownIdentifierMessage(name: string): string {
  return `unknown identifier '${name}': not a modeled constant or function, taken as 0`;
}

/** Sorted, one per (kind, message, place). */
export function assumptionKey(a: Assumption): string {
  return `${a.kind}\u0000${a.function ?? ''}\u0000${a.message}\u0000${a.at?.file ?? ''}:${a.at?.line ?? 0}:${a.at?.column ?? 0}`;
}

export function sortAssumptions(list: Iterable<Assumption>): Assumption[] {
  const byKey = new Map<string, Assumption>();
  for (const a of list) byKey.set(assumptionKey(a), a);
  return [...byKey.values()].sort((a, b) => (a.at?.file ?? '').localeCompare(b.at?.file ?? '')
    || (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.column ?? 0) - (b.at?.column ?? 0) || a.message.localeCompare(b.message));
}

/**
 * The assumptions a machine met, each once: a run meets the same place on many
 * paths, so each site (an instruction or expression object) is recorded the first time.
 */
export class AssumptionLog {
  private readonly byKey = new Map<string, Assumption>();
  private readonly sites = new WeakSet<object>();

  /** Whether `site` was recorded already (the caller then skips building the note). */
  seen(site: object): boolean {
    return this.sites.has(site);
  }

  note(a: Assumption, site?: object): void {
    if (site) this.sites.add(site);
    this.byKey.set(assumptionKey(a), a);
  }

  list(): Assumption[] {
    return sortAssumptions(this.byKey.values());
  }
}

export type NameKind = 'func' | 'prim' | 'noop' | 'unknown';

/**
 * What a function's body may rest on, read from its code alone (for `explain`): every
 * unknown call whose result is used or that is passed anything but constants, and
 * every identifier that is neither a constant nor a function. A run reports the ones
 * it really met (Machine), with the values at hand.
 */
export function staticAssumptions(fn: FunctionProgram, kindOf: (name: string) => NameKind): Assumption[] {
  const out: Assumption[] = [];
  const ident = (e: Expr | undefined, at: Origin | undefined): void => {
    for (const s of symbolsIn(e)) {
      if (constantValue(s.name) !== undefined || kindOf(s.name) !== 'unknown') continue;
      out.push({ kind: 'unknown-identifier', function: fn.name, message: unknownIdentifierMessage(s.name), at: assumptionAt(fn.file, s.at ?? at) });
    }
  };
  for (const i of fn.code) {
    const at = originOf(i);
    if (i.op === 'call') {
      if (typeof i.callee !== 'string') { ident(i.callee, at); for (const a of i.args) ident(a, at); continue; }
      const kind = kindOf(i.callee);
      if (kind === 'noop') continue;
      if (kind === 'unknown') {
        const used = i.dst !== undefined;
        if (used || i.args.some((a) => a.k !== 'num' && a.k !== 'null' && a.k !== 'sym')) {
          out.push({ kind: 'unknown-call', function: fn.name, message: unknownCallMessage(i.callee, used), at: assumptionAt(fn.file, at) });
        }
        continue;
      }
      for (const a of i.args) ident(a, at);
    } else if (i.op === 'set' || i.op === 'store') {
      ident(i.e, at);
      if (i.op === 'store') ident(i.obj, at);
    } else if (i.op === 'load') {
      ident(i.obj, at);
    } else if (i.op === 'br') {
      ident(i.c, at);
    } else if (i.op === 'check' || i.op === 'ret') {
      ident(i.op === 'check' ? i.c : i.e, at);
    }
  }
  return sortAssumptions(out);
}

function originOf(i: Instr): Origin | undefined {
  return 'at' in i ? i.at : undefined;
}

/** The names an expression reads: symbols, and functions used as values. */
function symbolsIn(e: Expr | undefined): { name: string; at?: Origin }[] {
  const out: { name: string; at?: Origin }[] = [];
  walkExpr(e, (x) => {
    if (x.k === 'sym') out.push(x);
    else if (x.k === 'fn') out.push({ name: x.name });
  });
  return out;
}
