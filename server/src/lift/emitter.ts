/**
 * Collects instructions with symbolic jump targets. Code is built as a list of items
 * (instructions and label positions) so pieces lowered on the side — the arms of a
 * `?:`, the right side of `&&` — can be spliced in later; indices are only fixed when
 * the function is finished.
 */
import type { Expr, Instr, Origin } from '../sim/program.js';

export class Label {
  /** Instruction index, known after `finish`. */
  pos = -1;
  placed = false;
  constructor(readonly name?: string) {}
}

type Plain = Exclude<Instr, { op: 'jmp' } | { op: 'br' }>;

type Item =
  | { kind: 'instr'; instr: Plain }
  | { kind: 'jmp'; to: Label }
  | { kind: 'br'; c: Expr; t: Label; f: Label }
  | { kind: 'label'; label: Label };

export type Items = Item[];

export class Emitter {
  private items: Item[] = [];

  emit(instr: Plain): void {
    this.items.push({ kind: 'instr', instr });
  }

  jmp(to: Label): void {
    this.items.push({ kind: 'jmp', to });
  }

  br(c: Expr, t: Label, f: Label): void {
    this.items.push({ kind: 'br', c, t, f });
  }

  place(label: Label): void {
    label.placed = true;
    this.items.push({ kind: 'label', label });
  }

  /** Runs `fn` with output going to a separate list, returned with fn's result. */
  capture<T>(fn: () => T): { items: Items; value: T } {
    const saved = this.items;
    this.items = [];
    try {
      const value = fn();
      return { items: this.items, value };
    } finally {
      this.items = saved;
    }
  }

  append(items: Items): void {
    for (const it of items) this.items.push(it);
  }

  /**
   * Resolves labels to indices and returns the code. A jump to the very next
   * instruction is dropped (it comes from `if` without `else` and the like). The code
   * always ends in a `ret` so that every label has an instruction to land on.
   * Call once.
   */
  finish(endAt: Origin): Instr[] {
    // A target never placed (goto to a missing label) lands on the final `ret`; the
    // caller has already reported it.
    for (const it of [...this.items]) {
      for (const l of it.kind === 'jmp' ? [it.to] : it.kind === 'br' ? [it.t, it.f] : []) {
        if (!l.placed) this.place(l);
      }
    }
    const items = this.items.filter((it, i) => !(it.kind === 'jmp' && fallsThrough(this.items, i, it.to)));
    let n = 0;
    for (const it of items) {
      if (it.kind === 'label') it.label.pos = n;
      else n++;
    }
    const code: Instr[] = [];
    for (const it of items) {
      if (it.kind === 'instr') code.push(it.instr);
      else if (it.kind === 'jmp') code.push({ op: 'jmp', to: it.to.pos });
      else if (it.kind === 'br') code.push({ op: 'br', c: it.c, t: it.t.pos, f: it.f.pos });
    }
    const last = code[code.length - 1];
    const labelAtEnd = items.some((it) => it.kind === 'label' && it.label.pos === code.length);
    if (!last || last.op !== 'ret' || labelAtEnd) code.push({ op: 'ret', at: endAt });
    return code;
  }
}

/** True when only labels separate item `i` from `to`'s position. */
function fallsThrough(items: Item[], i: number, to: Label): boolean {
  for (let j = i + 1; j < items.length; j++) {
    const it = items[j];
    if (it.kind !== 'label') return false;
    if (it.label === to) return true;
  }
  return false;
}
