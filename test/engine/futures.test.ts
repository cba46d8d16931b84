/**
 * A thread's future (the classes its remaining code may touch) decides which steps of
 * the other threads are invisible and which persistent sets exist: the narrower it is,
 * within what the code can do, the fewer states. These tests hold the analyses that
 * narrow it to what they claim: a parameter holds the constants its callers pass
 * (sim/param-constants.ts), a local filled only by vm_fault_of() is the thread's own,
 * `x->flags` is a page's flag word or a plain field, a bit given as a number is that
 * bit, and on the whole 6.1 tree a write fault's future does not reach writeback's
 * completion (as it did through a call through smp_ops, which nothing fills).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr, FunctionProgram, Instr } from 'racelens-server/out/sim/program.js';
import { ParamConstants, PrivateLocals } from 'racelens-server/out/sim/param-constants.js';
import { fieldClasses, primitiveClasses } from 'racelens-server/out/sim/footprint-classes.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { threadFuture } from 'racelens-server/out/sim/futures.js';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { scenarioRoots } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { ProgramFacts } from 'racelens-server/out/sim/program-facts.js';
import { builtinRace } from './fixtures.js';
import { oneMappingFacts } from './one-mapping-facts.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';

const sym = (name: string): Expr => ({ k: 'sym', name });
const local = (name: string): Expr => ({ k: 'local', name });
const call = (callee: string, args: Expr[], dst?: string): Instr => ({ op: 'call', callee, args, ...(dst ? { dst } : {}) });
const fn = (name: string, params: string[], code: Instr[]): FunctionProgram => ({ name, params, code, notes: [] });

/** set_flag(ti, flag) sets bit `flag` of ti->flags; via(t, f) hands its own parameter on. */
function program(extra: FunctionProgram[] = []): Map<string, FunctionProgram> {
  const fns = [
    fn('set_flag', ['ti', 'flag'], [call('test_and_set_bit', [local('flag'), { k: 'addr', obj: local('ti'), field: 'flags' }])]),
    fn('via', ['t', 'f'], [call('set_flag', [local('t'), local('f')])]),
    fn('a', [], [call('set_flag', [local('x'), sym('TIF_A')])]),
    fn('b', [], [call('via', [local('y'), sym('TIF_B')])]),
    ...extra,
  ];
  return new Map(fns.map((f) => [f.name, f]));
}

describe('what a parameter can hold, from its call sites', () => {
  it('the constants every caller passes, through a caller that hands its own parameter on', () => {
    const fns = program();
    const p = new ParamConstants(() => fns, (n) => fns.get(n), () => ['a', 'b']);
    assert.deepEqual(p.values(fns.get('set_flag')!, 1)?.map((e) => (e as { name: string }).name).sort(), ['TIF_A', 'TIF_B']);
    // the call in set_flag, once per constant
    const variants = p.variants(fns.get('set_flag')!, (fns.get('set_flag')!.code[0] as { args: Expr[] }).args);
    assert.equal(variants.length, 2);
    // nothing is known of a parameter that is not a constant at some call
    assert.equal(p.values(fns.get('set_flag')!, 0), undefined);
  });

  it('nothing, when the function is entered other than by name, a caller passes a non-constant, or the function sets its parameter', () => {
    const fns = program();
    assert.equal(new ParamConstants(() => fns, (n) => fns.get(n), () => ['a', 'b', 'set_flag']).values(fns.get('set_flag')!, 1), undefined);
    const other = program([fn('c', [], [call('set_flag', [local('z'), local('computed')])])]);
    assert.equal(new ParamConstants(() => other, (n) => other.get(n), () => ['a', 'b', 'c']).values(other.get('set_flag')!, 1), undefined);
    const sets = program();
    sets.set('set_flag', fn('set_flag', ['ti', 'flag'], [{ op: 'set', dst: 'flag', e: { k: 'num', v: 3 } }, ...sets.get('set_flag')!.code]));
    assert.equal(new ParamConstants(() => sets, (n) => sets.get(n), () => ['a', 'b']).values(sets.get('set_flag')!, 1), undefined);
  });

  it('a call by another name of the same program (an alias) is one of its call sites', () => {
    const fns = program([fn('d', [], [call('set_flag_alias', [local('w'), local('computed')])])]);
    const resolve = (n: string): FunctionProgram | undefined => fns.get(n === 'set_flag_alias' ? 'set_flag' : n);
    assert.equal(new ParamConstants(() => fns, resolve, () => ['a', 'b', 'd']).values(fns.get('set_flag')!, 1), undefined);
    // entered through the alias's name: no call site can be trusted
    const plain = program();
    const byAlias = (n: string): FunctionProgram | undefined => plain.get(n === 'alias' ? 'set_flag' : n);
    assert.equal(new ParamConstants(() => plain, byAlias, () => ['a', 'b']).values(plain.get('set_flag')!, 1)?.length, 2);
    assert.equal(new ParamConstants(() => plain, byAlias, () => ['a', 'b', 'alias']).values(plain.get('set_flag')!, 1), undefined);
  });

  it('a local filled by vm_fault_of(), handed down as a parameter, is the thread\'s own; one loaded from memory is not', () => {
    const fns = new Map([
      ['fault', fn('fault', [], [call('vm_fault_of', [local('v'), local('p')], 'vmf'), call('mkwrite', [local('vmf')]), { op: 'load', dst: 'pg', obj: local('v'), field: 'page' }, call('other', [local('pg')])])],
      ['mkwrite', fn('mkwrite', ['vmf'], [{ op: 'store', obj: local('vmf'), field: 'flags', e: { k: 'num', v: 1 } }])],
      ['other', fn('other', ['page'], [{ op: 'store', obj: local('page'), field: 'flags', e: { k: 'num', v: 1 } }])],
    ]);
    const params = new ParamConstants(() => fns, (n) => fns.get(n), () => ['fault']);
    const privateLocals = new PrivateLocals(params, (c) => c === 'vm_fault_of', () => false);
    assert.equal(privateLocals.holdsPrivate(fns.get('mkwrite')!, 'vmf'), true);
    assert.equal(privateLocals.holdsPrivate(fns.get('other')!, 'page'), false);
  });
});

describe('classes of field accesses and flag bits', () => {
  it('x->flags is a page\'s modeled bits or the plain field flags, never anything', () => {
    const cs = fieldClasses('flags');
    assert.ok(!cs.includes('*'));
    assert.ok(cs.includes('fld.flags') && cs.includes('pg.locked') && cs.includes('pg.dirty'));
  });

  it('a flag bit given as a number, or as a name that is no constant, is that one bit (a name evaluates to 0)', () => {
    const tas = primitives.get('test_and_set_bit')!;
    const byNumber = primitiveClasses(tas, [{ k: 'num', v: 0 }, { k: 'addr', obj: local('ti'), field: 'flags' }]);
    assert.ok(byNumber.w.has('pg.locked') && byNumber.w.has('fld.flags'));
    assert.ok(![...byNumber.w].some((c) => c.endsWith('.*')), [...byNumber.w].join(' '));
    const byName = primitiveClasses(tas, [sym('TIF_NOTIFY_RESUME'), { k: 'addr', obj: local('ti'), field: 'flags' }]);
    assert.deepEqual([...byName.w].sort(), [...byNumber.w].sort());
    // a test reads only its bit
    const test = primitiveClasses(primitives.get('test_bit')!, [sym('PG_writeback'), local('page')]);
    assert.deepEqual([...test.r].sort(), ['pg.freed', 'pg.writeback']);
  });

  it('an atomic on &x->FIELD touches that plain field, not every one', () => {
    const inc = primitiveClasses(primitives.get('atomic_inc')!, [{ k: 'addr', obj: local('inode'), field: 'i_count' }]);
    assert.ok(inc.w.has('fld.i_count') && !inc.w.has('fld.*'));
    assert.ok(primitiveClasses(primitives.get('atomic_inc')!, [local('counter')]).w.has('fld.*'));
  });
});

const tree = findKernelTree('6.1');
const why = skipWithoutTree(tree, 'futures on the whole 6.1 tree');
describe('a write fault\'s future on the whole 6.1 tree', { skip: why }, () => {
  it('does not reach writeback completion, and the call through smp_ops.smp_send_reschedule reaches no function', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const models = sourceModelSet('6.1', [tree!], { roots: scenarioRoots(race), filesystems: ['ext3'] });
    const m = scenarioMachine({ race, file, eraSpec: '6.1', models }).machine;
    const user = m.initial().threads.find((t) => t.id === 'P0')!;
    const future = threadFuture({}, m.facts.classes, user);
    for (const c of ['*', 'pg.*', 'bh.*']) assert.ok(!future.w.has(c), `the fault's future writes ${c}`);
    assert.ok(future.w.has('pg.dirty') && future.w.has('pte'), 'it still dirties the page and writes the PTE');
    assert.deepEqual(m.facts.indirectTargets('smp_send_reschedule'), []);
  });

  // The fault's entry and read fault run from the tree (handle_mm_fault → do_read_fault →
  // __do_fault → filemap_fault → finish_fault → do_set_pte): what a fault on a shared
  // mapping of a file never takes stays out of its future (known-values.ts).
  it('does not reach writeback completion or page removal', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const models = sourceModelSet('6.1', [tree!], { roots: scenarioRoots(race), filesystems: ['ext3'] });
    const m = scenarioMachine({ race, file, eraSpec: '6.1', models }).machine;
    const future = threadFuture({}, m.facts.classes, m.initial().threads.find((t) => t.id === 'P0')!);
    for (const c of ['bh.async_write', 'tag.writeback', 'pg.mapping']) assert.ok(!future.w.has(c), `the fault's future writes ${c}`);
    const fn = (name: string): FunctionProgram => {
      const f = m.facts.program(name);
      assert.ok(f, name);
      return f;
    };
    const branchOn = (name: string, text: RegExp): boolean | undefined => {
      const f = fn(name);
      const pc = f.code.findIndex((i) => i.op === 'br' && text.test(JSON.stringify(i.c)));
      assert.ok(pc >= 0, `${name}: no branch on ${text}`);
      return m.facts.known.branch(f, pc);
    };
    // do_set_pte's anonymous copy-on-write arm: `write && !(vma->vm_flags & VM_SHARED)` (the mapping is shared)
    assert.equal(branchOn('do_set_pte', /VM_SHARED/), false);
    // do_fault: a write fault on a shared mapping is do_shared_fault, never do_cow_fault
    assert.equal(branchOn('do_fault', /"field":"vm_flags"/), true);
    // filemap_read_folio's filler is what its one caller passes: the a_ops' read_folio, not every function used as a value
    const read = fn('filemap_read_folio');
    const call = read.code.find((i) => i.op === 'call' && typeof i.callee !== 'string') as Extract<Instr, { op: 'call' }>;
    assert.deepEqual([...m.facts.calleeTargets(read, call.callee as Expr)], ['ext4_read_folio']);
  });
});

/**
 * Value-sensitive futures on a program of their own: a root makes a fault's struct
 * vm_fault (vm_fault_on_stack) and calls `fault(vmf)`, whose branch on
 * `vmf->vma->vm_flags & VM_SHARED` guards a store to page->mapping (an anonymous
 * mapping's rmap). The mapping of the setup is shared.
 */
describe('branches over what is fixed for the run', () => {
  const flagsOf = (vma: Expr): Expr => ({ k: 'field', obj: vma, field: 'vm_flags' });
  const faultProgram = (extra: Instr[] = [], more: FunctionProgram[] = []): Map<string, FunctionProgram> => {
    const fns = [
      fn('root', [], [call('vm_fault_on_stack', [local('v'), local('a')], 'vmf'), call('fault', [{ k: 'ref', name: 'vmf' }]), ...extra, { op: 'ret' }]),
      fn('fault', ['vmf'], [
        { op: 'set', dst: 'vma', e: { k: 'field', obj: local('vmf'), field: 'vma' } },
        { op: 'br', c: { k: 'bin', op: '&', a: flagsOf(local('vma')), b: sym('VM_SHARED') }, t: 3, f: 2 },
        { op: 'store', obj: local('page'), field: 'mapping', e: { k: 'num', v: 0 } },
        { op: 'ret' },
      ]),
      ...more,
    ];
    return new Map(fns.map((f) => [f.name, f]));
  };
  const facts = (fns: Map<string, FunctionProgram>, shared = true): ProgramFacts => oneMappingFacts(fns, 'root', shared);

  it('a fault on a shared mapping leaves the arm for a private one out of its future', () => {
    const f = facts(faultProgram());
    assert.equal(f.known.branch(f.program('fault')!, 1), true);
    assert.ok(!f.classes.of('root').w.has('pg.mapping'), [...f.classes.of('root').w].join(' '));
    assert.ok(f.known.fixedFieldsUsed().has('vma.vm_flags'));
  });

  it('the same fault on a private mapping keeps both arms', () => {
    const f = facts(faultProgram(), false);
    assert.equal(f.known.branch(f.program('fault')!, 1), false);
    assert.ok(f.classes.of('root').w.has('pg.mapping'));
  });

  it('a field some reachable code writes is not fixed: both arms stay', () => {
    // mprotect-like: the root clears VM_SHARED of its mapping after the fault
    const clear: Instr[] = [{ op: 'store', obj: { k: 'field', obj: local('vmf'), field: 'vma' }, field: 'vm_flags', e: { k: 'num', v: 0 } }];
    const f = facts(faultProgram(clear));
    assert.equal(f.known.branch(f.program('fault')!, 1), undefined);
    assert.ok(f.classes.of('root').w.has('pg.mapping'));
    assert.ok(!f.known.fixedFieldsUsed().has('vma.vm_flags'));
  });

  it('a write behind an arm the fixed value rules out does not count (untrack_pfn clears VM_PAT only where VM_PFNMAP is set)', () => {
    const guarded = fn('untrack', ['vma'], [
      { op: 'br', c: { k: 'bin', op: '&', a: flagsOf(local('vma')), b: sym('VM_PFNMAP') }, t: 1, f: 2 },
      { op: 'store', obj: local('vma'), field: 'vm_flags', e: { k: 'num', v: 0 } },
      { op: 'ret' },
    ]);
    const f = facts(faultProgram([call('untrack', [{ k: 'field', obj: local('vmf'), field: 'vma' }])], [guarded]));
    assert.equal(f.known.branch(f.program('fault')!, 1), true);
    assert.equal(f.known.branch(guarded, 0), false);
    assert.ok(!f.classes.of('root').w.has('pg.mapping'));
  });

  it('a vm_fault\'s flags are what the fault stores there, through `|=` and a helper\'s save and restore', () => {
    const fns = new Map([
      ['root', fn('root', [], [
        call('vm_fault_on_stack', [local('v'), local('a')], 'vmf'),
        { op: 'store', obj: local('vmf'), field: 'flags', e: sym('FAULT_FLAG_WRITE') },
        { op: 'load', dst: 'f', obj: local('vmf'), field: 'flags' },
        { op: 'store', obj: local('vmf'), field: 'flags', e: { k: 'bin', op: '|', a: local('f'), b: sym('FAULT_FLAG_USER') } },
        call('helper', [local('vmf')]),
        { op: 'ret' },
      ])],
      ['helper', fn('helper', ['vmf'], [
        { op: 'load', dst: 'old', obj: local('vmf'), field: 'flags' },
        { op: 'store', obj: local('vmf'), field: 'flags', e: sym('FAULT_FLAG_MKWRITE') },
        { op: 'store', obj: local('vmf'), field: 'flags', e: local('old') },
        // a page's flags: not the vm_fault's
        { op: 'store', obj: local('page'), field: 'flags', e: local('unknown') },
        { op: 'br', c: { k: 'bin', op: '&', a: local('old'), b: sym('FAULT_FLAG_REMOTE') }, t: 5, f: 6 },
        { op: 'store', obj: local('page'), field: 'mapping', e: { k: 'num', v: 0 } },
        { op: 'ret' },
      ])],
    ]);
    const f = facts(fns);
    const helper = fns.get('helper')!;
    // what any store of the field can have put there, wherever the load is (flow-insensitive): never FAULT_FLAG_REMOTE
    assert.deepEqual([...f.known.local(helper, 'old')!].sort((a, b) => Number(a) - Number(b)), [0, 1, 2, 64, 65, 66]);
    assert.equal(f.known.branch(helper, 4), false);
    assert.ok(!f.classes.of('root').w.has('pg.mapping'));
  });
});
