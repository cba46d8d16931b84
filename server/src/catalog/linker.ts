/**
 * Name resolution for a run: a call names a model function of the run's set, a
 * simulator primitive, another era's name of a catalogued function, or a known
 * no-op; anything else is unknown (a no-op that is reported).
 */
import type { Linker, Resolved } from '../sim/machine.js';
import { primitives } from '../sim/ops/index.js';
import type { FunctionProgram } from '../sim/program.js';
import { entryByName } from './functions.js';
import type { ModelSet } from './models.js';
import { isNoop } from './noops.js';

export class ModelLinker implements Linker {
  private readonly cache = new Map<string, Resolved>();

  constructor(private readonly set: ModelSet, private readonly extra: ReadonlyMap<string, FunctionProgram> = new Map()) {}

  resolve(name: string): Resolved {
    let r = this.cache.get(name);
    if (!r) {
      r = this.lookup(name);
      this.cache.set(name, r);
    }
    return r;
  }

  /** The model function a name runs, with the name it has in this set. */
  modelName(name: string): string | undefined {
    const r = this.resolve(name);
    return r.kind === 'func' ? r.fn.name : undefined;
  }

  private lookup(name: string): Resolved {
    const extra = this.extra.get(name);
    if (extra) return { kind: 'func', fn: extra };
    const own = this.set.functions.get(name);
    if (own) return { kind: 'func', fn: own.program };
    const prim = primitives.get(name);
    if (prim) return { kind: 'prim', name, prim };
    const entry = entryByName(name);
    for (const other of entry?.names ?? []) {
      const fn = this.set.functions.get(other);
      if (fn) return { kind: 'func', fn: fn.program };
      const p = primitives.get(other);
      if (p) return { kind: 'prim', name: other, prim: p };
    }
    if (isNoop(name)) return { kind: 'noop', name };
    return { kind: 'unknown', name };
  }
}
