/** Per-function lowering state shared by the expression and statement lowerers. */
import type { ModelNote, Origin } from '../sim/program.js';
import { Emitter, Label } from './emitter.js';
import type { BatchType, IntType } from './types.js';
import type { Node } from './parser.js';
import type { PreprocEnv } from './preproc.js';
import { looksLikeControlFlow, position, shortText, sourceOf } from './syntax.js';

/** Deeper nesting than this (statements plus expressions) is not lowered. */
export const MAX_DEPTH = 200;

/** What a local's or a parameter's declaration says about it, as far as the lifter cares. */
export interface VarInfo {
  /** its integer type (not for pointers and arrays) */
  int?: IntType;
  /** the integer type of its elements, for an array or a pointer */
  elem?: IntType;
  pointer: boolean;
  /** declared with two or more `*` (`struct page **pages`) */
  pointerToPointer?: boolean;
  array: boolean;
  /** a wait-queue struct (or a pointer to one) whose fields have classes of their own (sim/wait-objects.ts) */
  struct?: string;
  /** a batch struct (or a pointer to one) held as a local array of its items */
  batch?: BatchType;
  /**
   * a parameter that is an array of pointers the caller passes (`struct page **pages`):
   * the caller's local array, passed by value and copied back when the callee returns
   * (value-result), so that what `pages[i] = page` stores reaches the caller
   */
  outArray?: boolean;
  /** a structure kept on the stack and handed down by pointer (sim/stack-kinds.ts): its tag */
  stack?: string;
  param: boolean;
  /** the struct tag of its type, any struct (`struct reclaim_stat *stat` → reclaim_stat) */
  tag?: string;
}

export class FnCtx {
  readonly em = new Emitter();
  readonly locals = new Set<string>();
  /** locals declared by LIST_HEAD(name): each is a list head on the running thread's stack */
  readonly listHeads = new Set<string>();
  /**
   * Scalar locals whose address escapes into memory (`.arg = (void *)&cleaned` of an rmap
   * walk's control block): each lives in its CPU's stack cell (sim/stack-kinds.ts
   * `int_cell`), read and written through it, so a callback writing `*cleaned` is seen.
   */
  readonly cells = new Set<string>();
  /** declarations of locals and parameters (by name; an inner declaration wins) */
  readonly vars = new Map<string, VarInfo>();
  /**
   * names declared again with another struct type (or none): `vars` holds the latest
   * declaration, which a use after the inner scope ends is not, so their accesses carry
   * no struct tag (program.ts StructTag)
   */
  readonly retyped = new Set<string>();
  readonly notes: ModelNote[] = [];
  /** scalar pointer parameters the body writes through (`*error = 0`): out-parameters */
  readonly outParams = new Set<string>();
  /** Set when something broke the body's control flow: the lift is not usable. */
  failed = false;
  depth = 0;
  /** >0 while lowering call arguments: string literals there (printk formats) are fine. */
  inArgs = 0;
  /** the function whose arguments are being lowered, when called by name (for notes) */
  argsOf: string | undefined;
  readonly breaks: Label[] = [];
  readonly continues: Label[] = [];
  /** goto/label names -> label, plus where each was first used by a goto. */
  readonly labels = new Map<string, Label>();
  readonly gotoSites = new Map<string, Node>();
  /** ids of ERROR/MISSING nodes already reported while lowering. */
  readonly handled = new Set<number>();
  private temps = 0;
  private once = new Set<string>();

  /** @param preproc the kernel configuration deciding `#if` branches in the body, if known */
  constructor(readonly src: string, readonly preproc?: PreprocEnv) {}

  /**
   * A local the function owns as an array value: a declared array, or a batch struct
   * held by value (not a pointer to one).
   */
  isLocalArray(name: string): boolean {
    const v = this.vars.get(name);
    return !!v && !v.param && (v.array || (!!v.batch && !v.pointer));
  }

  /** A fresh temporary; `$` cannot start a C identifier, so it never clashes. */
  temp(): string {
    return `$t${this.temps++}`;
  }

  text(node: Node): string {
    return sourceOf(this.src, node);
  }

  at(node: Node): Origin {
    return { ...position(node), text: shortText(this.text(node)) };
  }

  note(node: Node, what: string, opts: { fail?: boolean; onceKey?: string } = {}): void {
    if (opts.fail) this.failed = true;
    if (opts.onceKey !== undefined) {
      if (this.once.has(opts.onceKey)) return;
      this.once.add(opts.onceKey);
    }
    this.notes.push({ ...position(node), what });
  }

  /**
   * Text the parser could not make sense of (ERROR node) is skipped. If it seems to
   * hold control flow the body's paths are unknown, so the lift fails.
   */
  unparsed(node: Node): void {
    this.handled.add(node.id);
    const t = this.text(node);
    this.note(node, `unparsed source skipped: '${shortText(t, 60)}'`, { fail: looksLikeControlFlow(t) });
  }

  /** The parser inserted a token that was not in the source (usually a ';'). */
  missing(node: Node, after: string): void {
    this.handled.add(node.id);
    this.note(node, `parser inserted a missing '${node.type}'${after ? ` after '${shortText(after, 40)}'` : ''}`);
  }

  /** A fresh anonymous jump target. */
  newLabel(): Label {
    return new Label();
  }

  label(name: string): Label {
    let l = this.labels.get(name);
    if (!l) {
      l = new Label(name);
      this.labels.set(name, l);
    }
    return l;
  }

  /** Runs `fn` one nesting level deeper; past MAX_DEPTH it reports and returns `deep`. */
  nested<T>(node: Node, deep: T, fn: () => T): T {
    if (this.depth >= MAX_DEPTH) {
      this.note(node, `nesting deeper than ${MAX_DEPTH} levels not lowered`, { fail: true, onceKey: 'depth' });
      return deep;
    }
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }
}
