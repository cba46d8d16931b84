/**
 * The program facts of a run over a few functions, with one CPU starting in `root` and
 * the setup of the futures tests: one page of one ext4 file, mapped once (shared or
 * private). Shared by the futures tests that build their programs by hand or lift them.
 */
import type { FunctionProgram } from 'racelens-server/out/sim/program.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { ProgramFacts } from 'racelens-server/out/sim/program-facts.js';
import type { Linker } from 'racelens-server/out/sim/machine-types.js';
import type { Layout } from 'racelens-server/out/sim/layout.js';

export function oneMappingFacts(fns: Map<string, FunctionProgram>, root: string, shared = true): ProgramFacts {
  const linker: Linker = {
    resolve: (name) => {
      const f = fns.get(name);
      if (f) return { kind: 'func', fn: f };
      const prim = primitives.get(name);
      return prim ? { kind: 'prim', name, prim } : { kind: 'unknown', name };
    },
  };
  const layout: Layout = {
    pages: new Map([['P', { id: 'P', file: 'F', index: 0, buffers: [], blocks: 1 }]]),
    buffers: new Map(),
    files: new Map([['F', { id: 'F', aops: 'ext4_aops', pages: ['P'] }]]),
    vmas: new Map([['U', { id: 'U', file: 'F', shared, pages: ['P'] }]]),
    ops: new Map(),
    fs: { name: 'ext4', options: {} },
  };
  return new ProgramFacts(linker, layout, [{ id: 'P0', label: 'user', fn: root, args: [] }]);
}
