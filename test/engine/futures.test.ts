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
import { builtinRace } from './fixtures.js';
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

  // Open: since the fault's entry and read fault run from the tree (handle_mm_fault →
  // do_read_fault → __do_fault → filemap_fault), its future reaches code that takes
  // pages out of the cache and writes buffers; which of those paths a fault of these
  // scenarios can take is not yet narrowed (issue 16/15 note of 2026-12-07).
  it('does not reach writeback completion or page removal', { todo: 'the read fault from the tree widened the future: bh.async_write, tag.writeback, pg.mapping' }, () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const models = sourceModelSet('6.1', [tree!], { roots: scenarioRoots(race), filesystems: ['ext3'] });
    const m = scenarioMachine({ race, file, eraSpec: '6.1', models }).machine;
    const future = threadFuture({}, m.facts.classes, m.initial().threads.find((t) => t.id === 'P0')!);
    for (const c of ['bh.async_write', 'tag.writeback', 'pg.mapping']) assert.ok(!future.w.has(c), `the fault's future writes ${c}`);
  });
});
