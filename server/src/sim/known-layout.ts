/**
 * What known-values.ts asks of a run's setup and reachable code: the fixed fields of
 * the objects the setup makes (objects.ts fixedField: `vma->vm_flags`, `vma->vm_ops`,
 * `mapping->a_ops`), the objects of a kind, and the stores to a plain field of a fault's
 * own struct vm_fault. That no code a run can reach writes a fixed field is checked by
 * program-facts.ts (liveWrites) against the answers given.
 */
import type { Expr, FunctionProgram, Value } from './program.js';
import type { Layout } from './layout.js';
import type { KnownHost } from './known-values.js';
import { refKind } from './program.js';
import { fixedField } from './objects.js';
import { isPlainField } from './plain-fields.js';
import { forEachExpr } from './expr-walk.js';
import { OwnedHolders } from './owned-objects.js';
import { STACK_KINDS } from './stack-kinds.js';
import { ownTable } from './own-table.js';

/** Kinds whose fixed fields objects.ts reads off the layout alone (not the world, not the thread). */
const LAYOUT_KINDS: ReadonlySet<string> = new Set(['page', 'mapping', 'inode', 'file', 'bh', 'vma', 'vmf', 'aops']);

/**
 * Stack objects whose plain fields only the code's loads and stores reach: a struct
 * vm_fault (no primitive sets one of its fields but through `&vmf->field`, which
 * storesTo sees). The others (a writeback_control a primitive fills, reclaim's stack
 * objects that ops/zap.ts and ops/rmap-walk.ts write directly) are not.
 */
const OWNED_BY_CODE: ReadonlySet<string> = new Set(['vmf']);

/**
 * Struct tags every object of which, in a run, is of one kind: a `struct vm_fault` is
 * only ever a fault's own, declared on its stack (stack-kinds.ts: vm_fault_on_stack,
 * or vm_fault_of for the built-in models), so `vmf->flags` through a pointer whose value
 * is not known (a `->fault(vmf)` handler's parameter) is a vm_fault's flags.
 */
const KIND_OF_TAG: Readonly<Record<string, string>> = ownTable({ vm_fault: STACK_KINDS.vm_fault.kind });

export interface KnownFacts {
  callee: KnownHost['callee'];
  /** the functions a call through a pointer may reach */
  targets(fn: FunctionProgram, callee: Expr): readonly FunctionProgram[];
  sitesOf: KnownHost['sitesOf'];
  writesThrough: KnownHost['writesThrough'];
  /** the reachable functions' programs */
  reachable(): readonly FunctionProgram[];
}

export function knownHost(layout: Layout, facts: KnownFacts): KnownHost {
  let stores: Map<string, { fn: FunctionProgram; obj: Expr; e?: Expr; tag?: string }[]> | undefined;
  const owned = [...OWNED_BY_CODE].map((kind) => new OwnedHolders({ reachable: facts.reachable, callee: facts.callee, targets: facts.targets }, kind));
  return {
    mayHoldOwned: (fn, obj) => owned.some((o) => o.mayHold(fn, obj)),
    callee: facts.callee,
    sitesOf: facts.sitesOf,
    writesThrough: facts.writesThrough,
    fixedField: (obj, field) => {
      const kind = refKind(obj);
      if (kind === undefined || !LAYOUT_KINDS.has(kind) || (kind !== 'aops' && isPlainField(field, kind))) return undefined;
      let v: Value;
      try {
        v = fixedField(layout, obj, field);
      } catch {
        // no such field there: the run stops with an error at the read, which the futures need not follow
        return undefined;
      }
      return [v];
    },
    objectsOf: (kind) => objectsOf(layout, kind),
    ownedByCode: (kind) => OWNED_BY_CODE.has(kind),
    kindOfTag: (tag) => KIND_OF_TAG[tag],
    storesTo: (field) => {
      if (!stores) {
        stores = new Map();
        const add = (f: string, w: { fn: FunctionProgram; obj: Expr; e?: Expr; tag?: string }): void => {
          let list = stores!.get(f);
          if (!list) stores!.set(f, (list = []));
          list.push(w);
        };
        for (const fn of facts.reachable()) {
          for (const i of fn.code) {
            if (i.op === 'store') add(i.field, { fn, obj: i.obj, e: i.e, ...(i.tag ? { tag: i.tag } : {}) });
            // an address handed out (to a call, into a local): what is written through it is not seen
            forEachExpr(i, (e) => { if (e.k === 'addr') add(e.field, { fn, obj: e.obj, ...(e.tag ? { tag: e.tag } : {}) }); });
          }
        }
      }
      return stores.get(field) ?? [];
    },
  };
}

function objectsOf(layout: Layout, kind: string): readonly string[] | undefined {
  switch (kind) {
    case 'vma': return [...layout.vmas.keys()].map((id) => `vma:${id}`);
    // a fault's vm_fault, per slot (its fixed fields do not depend on the thread: vm-fault.ts vmfField)
    case 'vmf': return [...layout.vmas.values()].flatMap((v) => v.pages.map((p) => `vmf:${v.id}/${p}`));
    case 'page': return [...layout.pages.keys()].map((id) => `page:${id}`);
    case 'bh': return [...layout.buffers.keys()].map((id) => `bh:${id}`);
    case 'mapping': case 'inode': case 'file': return [...layout.files.keys()].map((id) => `${kind}:${id}`);
    default: return undefined;
  }
}

/** What of a layout known values read, for a key under which machines share their facts (program-facts.ts sharedFacts). */
export function knownLayoutKey(layout: Layout): string {
  return JSON.stringify([[...layout.vmas.values()], [...layout.files.values()], [...layout.pages.values()].map((p) => [p.id, p.index, p.buffers.length, p.head ?? ''])]);
}

