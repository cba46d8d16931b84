/**
 * The futures' program facts on kernel-shaped C lifted here, each a shape the whole
 * trees have (session 10's gaps): a function-pointer field keyed by the struct of the
 * access (reclaim's `rwc->done` beside a struct completion's `done`), a local written
 * through `&local` by its callee (6.12's `sanitize_fault_flags(vma, &flags)`), a
 * constant mask handed down as a parameter (`folio_xor_flags_has_waiters(folio,
 * 1 << PG_locked)`), and the constants a call binds to its callee's parameters
 * (`folio_wake(folio, PG_writeback)` wakes no page locker).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionProgram, Instr } from 'racelens-server/out/sim/program.js';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { primitiveClasses } from 'racelens-server/out/sim/footprint-classes.js';
import { ProgramFacts } from 'racelens-server/out/sim/program-facts.js';
import { threadFuture } from 'racelens-server/out/sim/futures.js';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { scenarioRoots } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import type { Thread } from 'racelens-server/out/sim/machine-types.js';
import { builtinRace } from './fixtures.js';
import { oneMappingFacts } from './one-mapping-facts.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';

/** The programs of a C fixture, lifted. */
function lifted(src: string): Map<string, FunctionProgram> {
  const unit = compileSource(src, 'fixture.c');
  return new Map([...unit.functions].map(([name, f]) => [name, f.program]));
}

const factsOf = (fns: Map<string, FunctionProgram>, root: string): ProgramFacts => oneMappingFacts(fns, root);

const pointerCall = (fn: FunctionProgram): Extract<Instr, { op: 'call' }> => {
  const i = fn.code.find((x) => x.op === 'call' && typeof x.callee !== 'string');
  assert.ok(i, `${fn.name}: no call through a pointer`);
  return i as Extract<Instr, { op: 'call' }>;
};

describe('a function-pointer field is keyed by the struct of the access', () => {
  // mm/rmap.c's walk calls rwc->done(folio); kernel/sched's completion counts in x->done
  // and hands &pending->done out: neither fills an rmap_walk_control's done
  const RECLAIM = `
static bool page_not_mapped(struct folio *folio) { return !folio_mapped(folio); }
static void other_callback(struct folio *folio) { folio_unlock(folio); }
static void complete(struct completion *x) { x->done++; }
static void affine_move_task(struct set_affinity_pending *pending) { complete(&pending->done); }
static void rmap_walk_file(struct folio *folio, struct rmap_walk_control *rwc)
{
	if (rwc->done && rwc->done(folio))
		return;
}
static void try_to_unmap(struct folio *folio)
{
	struct rmap_walk_control rwc = { .done = page_not_mapped };
	rmap_walk_file(folio, &rwc);
}
void reclaim(struct folio *folio, struct set_affinity_pending *pending, struct buffer_head *bh)
{
	bh->b_end_io = other_callback;
	try_to_unmap(folio);
	affine_move_task(pending);
}
`;

  it('the lifter names the struct of `rwc->done`, `x->done` and `&pending->done`', () => {
    const fns = lifted(RECLAIM);
    // a field no primitive writes is read as an expression (hoisted into a load when the program is linked)
    const walk = JSON.stringify(fns.get('rmap_walk_file')!.code, (k, v) => (k === 'at' ? undefined : v));
    assert.match(walk, /"field":"done","tag":"rmap_walk_control"/);
    assert.doesNotMatch(walk, /"field":"done"(?!,"tag":"rmap_walk_control")/);
    const store = fns.get('complete')!.code.find((i) => i.op === 'store');
    assert.equal(store?.op === 'store' ? store.tag : undefined, 'completion');
    const affine = fns.get('affine_move_task')!.code[0];
    assert.ok(affine.op === 'call' && affine.args[0].k === 'addr' && affine.args[0].tag === 'set_affinity_pending', JSON.stringify(affine));
  });

  it('rwc->done(folio) reaches what the walk\'s initializer stores, not every function used as a value', () => {
    const fns = lifted(RECLAIM);
    const f = factsOf(fns, 'reclaim');
    const walk = fns.get('rmap_walk_file')!;
    assert.deepEqual([...f.calleeTargets(walk, pointerCall(walk).callee as never)], ['page_not_mapped']);
    // a `done` of a struct not known is still any struct's: the completion's count opens it
    assert.ok(f.indirectTargets('done').includes('other_callback'));
    assert.ok(!f.classes.of('rmap_walk_file').w.has('pg.locked'), [...f.classes.of('rmap_walk_file').w].join(' '));
  });

  it('a store of something else into the same struct\'s field, or into a field of a struct not known, opens it', () => {
    const opened = RECLAIM.replace('bh->b_end_io = other_callback;', 'bh->b_end_io = other_callback;\n\tpending->x->done = pending->fn;');
    const f = factsOf(lifted(opened), 'reclaim');
    assert.ok(f.indirectTargets('rmap_walk_control::done').includes('other_callback'));
    const same = RECLAIM.replace('rmap_walk_file(folio, &rwc);', 'rmap_walk_file(folio, &rwc);\n\tstruct rmap_walk_control *w = get_walk();\n\tw->done = (void *)folio;');
    assert.ok(factsOf(lifted(same), 'reclaim').indirectTargets('rmap_walk_control::done').includes('other_callback'));
  });
});

describe('a local written through &local by its callee', () => {
  // 6.12's handle_mm_fault: ret = sanitize_fault_flags(vma, &flags), which clears bits of *flags
  const FAULT = `
static int sanitize_fault_flags(struct vm_area_struct *vma, unsigned int *flags)
{
	if (*flags & FAULT_FLAG_UNSHARE)
		*flags &= ~FAULT_FLAG_UNSHARE;
	return 0;
}
void handle(struct vm_area_struct *vma, struct page *page)
{
	unsigned int flags = FAULT_FLAG_WRITE | FAULT_FLAG_USER;
	sanitize_fault_flags(vma, &flags);
	if (flags & FAULT_FLAG_REMOTE)
		page->mapping = NULL;
}
`;

  it('holds what the callee can leave in its parameter: a branch on a bit nobody sets keeps one arm', () => {
    const fns = lifted(FAULT);
    assert.deepEqual(fns.get('sanitize_fault_flags')!.outParams, ['flags']);
    const f = factsOf(fns, 'handle');
    const handle = fns.get('handle')!;
    const values = f.known.local(handle, 'flags');
    assert.ok(values && values.length > 0 && values.every((v) => typeof v === 'number' && (v & (1 << 7)) === 0), JSON.stringify(values));
    const br = handle.code.findIndex((i) => i.op === 'br' && JSON.stringify(i.c).includes('FAULT_FLAG_REMOTE'));
    assert.equal(f.known.branch(handle, br), false);
    assert.ok(!f.classes.of('handle').w.has('pg.mapping'));
  });

  it('a callee that sets the bit through the pointer keeps both arms', () => {
    const fns = lifted(FAULT.replace('if (*flags & FAULT_FLAG_UNSHARE)\n\t\t*flags &= ~FAULT_FLAG_UNSHARE;', '*flags |= FAULT_FLAG_REMOTE;'));
    assert.match(JSON.stringify(fns.get('sanitize_fault_flags')!.code), /FAULT_FLAG_REMOTE/);
    const f = factsOf(fns, 'handle');
    const handle = fns.get('handle')!;
    const br = handle.code.findIndex((i) => i.op === 'br' && JSON.stringify(i.c).includes('FAULT_FLAG_REMOTE'));
    assert.equal(f.known.branch(handle, br), undefined);
    assert.ok(f.classes.of('handle').w.has('pg.mapping'));
  });
});

describe('a name that is no constant', () => {
  // 6.1's shrink_folio_list: can_demote() is false while numa_demotion_enabled (a sysfs knob
  // the model does not keep, read as 0 like every unknown name) is
  const RECLAIM = `
static bool can_demote(int nid) { if (!numa_demotion_enabled) return false; return true; }
void shrink(struct page *page)
{
	if (can_demote(0))
		page->mapping = NULL;
}
`;

  it('reads as the run reads it, 0: the branch it guards keeps one arm', () => {
    const fns = lifted(RECLAIM);
    const f = factsOf(fns, 'shrink');
    assert.deepEqual(f.known.result(fns.get('can_demote')!), [0]);
    assert.ok(!f.classes.of('shrink').w.has('pg.mapping'));
  });
});

describe('constant masks and the constants a call binds', () => {
  // 6.12's mm/filemap.c: folio_unlock and __folio_end_writeback flip their bit with xor_unlock_is_negative_byte
  const WAKE = `
static bool folio_xor_flags_has_waiters(struct folio *folio, unsigned long mask)
{
	return xor_unlock_is_negative_byte(mask, folio_flags(folio, 0));
}
void unlocker(struct folio *folio) { folio_xor_flags_has_waiters(folio, 1 << PG_locked); }
void ender(struct folio *folio) { folio_xor_flags_has_waiters(folio, 1 << PG_writeback); }
static void set_bit_of(struct folio *folio, int bit_nr) { set_bit(bit_nr, &folio->flags); }
static void via(struct folio *folio, int bit) { set_bit_of(folio, bit); }
void lock_it(struct folio *folio) { via(folio, PG_locked); }
void end_it(struct folio *folio) { via(folio, PG_writeback); }
void both(struct folio *folio) { unlocker(folio); ender(folio); lock_it(folio); end_it(folio); }
`;

  it('a constant mask flips those bits of a page\'s word only', () => {
    const xor = primitives.get('xor_unlock_is_negative_byte')!;
    const mask = { k: 'bin', op: '<<', a: { k: 'num', v: 1 }, b: { k: 'sym', name: 'PG_locked' } } as const;
    const cs = primitiveClasses(xor, [mask, { k: 'local', name: 'word' }]);
    assert.ok(cs.w.has('pg.locked'), [...cs.w].join(' '));
    for (const c of ['pg.*', 'bh.*', 'pg.writeback', 'pg.dirty']) assert.ok(!cs.w.has(c), c);
    const any = primitiveClasses(xor, [{ k: 'local', name: 'mask' }, { k: 'local', name: 'word' }]);
    assert.ok(any.w.has('pg.*') && any.w.has('bh.*'));
  });

  it('each caller\'s constant is bound for its own call: the completion\'s side never writes PG_locked', () => {
    const f = factsOf(lifted(WAKE), 'both');
    for (const [fn, own, other] of [['unlocker', 'pg.locked', 'pg.writeback'], ['ender', 'pg.writeback', 'pg.locked'],
      ['lock_it', 'pg.locked', 'pg.writeback'], ['end_it', 'pg.writeback', 'pg.locked']]) {
      const w = f.classes.of(fn).w;
      assert.ok(w.has(own) && !w.has(other), `${fn}: ${[...w].join(' ')}`);
    }
    // the helper itself, whoever calls it: both
    const w = f.classes.of('folio_xor_flags_has_waiters').w;
    assert.ok(w.has('pg.locked') && w.has('pg.writeback'));
  });

  it('a thread inside the helper has the future its caller\'s constant gives', () => {
    const fns = lifted(WAKE);
    const f = factsOf(fns, 'both');
    const frame = (fn: string, pc: number) => ({ fn, pc, c: { fn: fns.get(fn)! } });
    const callAt = (caller: string, callee: string): number => fns.get(caller)!.code.findIndex((i) => i.op === 'call' && i.callee === callee);
    const t = {
      id: 'P0', label: 'user', steps: 0, spawned: 0, queue: [],
      frames: [frame('end_it', callAt('end_it', 'via')), frame('via', callAt('via', 'set_bit_of')), frame('set_bit_of', 0)],
    } as unknown as Thread;
    const future = threadFuture({}, f.classes, t);
    assert.ok(future.w.has('pg.writeback') && !future.w.has('pg.locked'), [...future.w].join(' '));
  });
});

const tree = findKernelTree('6.12');
const why = skipWithoutTree(tree, 'futures on the whole 6.12 tree');
describe('a write fault\'s future on the whole 6.12 tree', { skip: why }, () => {
  it('keeps filemap_fault\'s fpin NULL (no fput), and every flag bit out of it', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const era = sourceEra(undefined, [tree!]).era!;
    const models = sourceModelSet(era, [tree!], { roots: scenarioRoots(race), filesystems: ['ext3'] });
    const m = scenarioMachine({ race, file, eraSpec: era, models }).machine;
    const fault = m.facts.program('filemap_fault');
    assert.ok(fault);
    assert.deepEqual(m.facts.known.local(fault, 'fpin'), [null]);
    const handle = m.facts.program('handle_mm_fault')!;
    assert.ok(m.facts.known.local(handle, 'flags')?.length, 'handle_mm_fault\'s flags after sanitize_fault_flags(vma, &flags)');
    const user = m.initial().threads.find((t) => t.id === 'P0')!;
    const future = threadFuture({}, m.facts.classes, user);
    for (const c of ['*', 'pg.*', 'bh.*', 'tag.*', 'bh.async_write', 'tag.writeback']) assert.ok(!future.w.has(c), `the fault's future writes ${c}`);
    assert.ok(future.w.has('pg.dirty') && future.w.has('pte'), 'it still dirties the page and writes the PTE');
  });
});
