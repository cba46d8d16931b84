/**
 * Futures per object: a thread's future says which buffer or page a class belongs to
 * when its code can touch that class only through a parameter bound to one object
 * (sim/futures.ts, FunctionClasses.withObjects), and a primitive that touches its
 * kind only through its object argument (Primitive.objectArg) states that object's
 * classes alone. These tests hold the class algebra (an object's class overlaps its
 * bare class and itself, never another object's), the development check (a primitive
 * that touched another object than its argument is an error), and what the futures of
 * a two-page scenario and of a buffer's I/O completion say.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classMasks, conflicts, covers, footprintMasks, objectClassOfKey, primitiveClasses } from 'racelens-server/out/sim/footprint-classes.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { threadFuture } from 'racelens-server/out/sim/futures.js';
import { withObjectArg } from 'racelens-server/out/sim/object-steps.js';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { parseScenarioText } from 'racelens-server/out/scenario/index.js';
import type { Expr } from 'racelens-server/out/sim/program.js';
import type { Machine } from 'racelens-server/out/sim/machine.js';
import { builtinRace } from './fixtures.js';
import { plainEnds, reducedEnds } from './ends.js';
import { TWO_PAGES } from './two-pages.js';

const set = (...cs: string[]): Set<string> => new Set(cs);

function twoPages(reduction: 'none' | 'full' = 'full'): Machine {
  const parsed = parseScenarioText(TWO_PAGES, 'two-pages.race');
  if (!parsed.race) throw new Error(JSON.stringify(parsed.diagnostics));
  return scenarioMachine({ race: parsed.race, file: 'two-pages.race', eraSpec: '6.1', reduction }).machine;
}

describe('classes of one object', () => {
  it('a key names its object; an object\'s class overlaps itself and its bare class, not another object\'s', () => {
    assert.equal(objectClassOfKey('bh:P.0.async_write'), 'bh.async_write@P.0');
    assert.equal(objectClassOfKey('pg:Q.locked'), 'pg.locked@Q');
    assert.equal(objectClassOfKey('tag:F.dirty.P'), 'tag.dirty', 'other spaces keep their bare class');
    const step = footprintMasks(['bh:P.1.async_write'], []);
    const writesOther = classMasks({ r: set(), w: set('bh.async_write@P.0') });
    const writesSame = classMasks({ r: set(), w: set('bh.async_write@P.1') });
    const writesAny = classMasks({ r: set(), w: set('bh.async_write') });
    const family = classMasks({ r: set(), w: set('bh.*') });
    assert.equal(conflicts(step, writesOther, false), false, 'reading P.1\'s bit commutes with writes of P.0\'s');
    assert.equal(conflicts(step, writesSame, false), true);
    assert.equal(conflicts(step, writesAny, false), true, 'a future not bound to an object touches every one');
    assert.equal(conflicts(step, family, false), true);
    // a stated step class of one object against a bare future, and against an object numbered after it
    assert.equal(conflicts(classMasks({ r: set('pg.locked@P'), w: set('pg.locked@P') }), classMasks({ r: set('pg.locked'), w: set() }), false), true);
    assert.equal(conflicts(classMasks({ r: set('pg.locked'), w: set('pg.locked') }), classMasks({ r: set('pg.locked@late'), w: set() }), false), true);
  });

  it('a primitive bound to an object states that object\'s classes of its kind only, and the check catches another object', () => {
    const clear = primitives.get('clear_buffer_async_write')!;
    const bound: Expr[] = [{ k: 'sym', name: '@bh:P.0' }];
    const cs = primitiveClasses(clear, bound);
    assert.ok(cs.w.has('bh.async_write@P.0'));
    assert.ok(!cs.w.has('bh.async_write'));
    assert.ok(cs.r.has('pg.freed'), 'the page check stays the bare class (another kind)');
    assert.ok(primitiveClasses(clear, [{ k: 'local', name: 'bh' }]).w.has('bh.async_write'), 'unbound: every buffer');
    // what RACELENS_CHECK_CLASSES asks of a step: its argument's buffer is covered, another buffer is not
    const stated = withObjectArg(primitiveClasses(clear, [{ k: 'local', name: 'bh' }]), clear, 'bh:P.0');
    assert.equal(covers(stated, 'bh:P.0.async_write', true), true);
    assert.equal(covers(stated, 'bh:P.1.async_write', true), false);
    // a primitive without objectArg (the page refcount: freeing touches more) is never narrowed
    const put = primitives.get('folio_put_testzero')!;
    const folio: Expr[] = [{ k: 'local', name: 'folio' }];
    assert.equal(withObjectArg(primitiveClasses(put, folio), put, 'page:P'), primitiveClasses(put, folio));
  });
});

describe('futures bound to objects', () => {
  it('two CPUs on two pages: each locks its own page only', () => {
    const m = twoPages();
    const [p, q] = m.initial().threads;
    const fp = threadFuture({}, m.facts.classes, p);
    const fq = threadFuture({}, m.facts.classes, q);
    // lock_page(P) → folio_lock, unlock_page → folio_unlock(page_folio(page)): P alone (no page is a tail here)
    assert.ok(fp.w.has('pg.locked@P'), [...fp.w].join(' '));
    assert.ok(!fp.w.has('pg.locked') && !fp.w.has('pg.locked@Q'), 'P0 never takes Q\'s lock');
    assert.ok(fq.w.has('pg.locked@Q') && !fq.w.has('pg.locked@P'));
    assert.ok(fp.w.has('wq.locked@P') && !fp.w.has('wq.locked'), 'and wakes the waiters of P\'s lock only');
    // P0's lock of P commutes with all Q's CPU will do; a lock of Q would not
    assert.equal(conflicts(footprintMasks(['pg:P.locked'], ['pg:P.locked']), classMasks(fq), false), false);
    assert.equal(conflicts(footprintMasks(['pg:Q.locked'], ['pg:Q.locked']), classMasks(fq), false), true);
  });

  it('a buffer\'s I/O completion writes its own buffer\'s bits, and reads the other buffers\' through the walk', () => {
    const m = twoPages();
    const classes = m.facts.classes;
    const id = classes.withObjects('end_buffer_async_write', ['bh:P.0', 1]);
    assert.notEqual(id, 'end_buffer_async_write', 'bh is never assigned there: bound');
    const f = classes.of(id);
    assert.ok(f.w.has('bh.async_write@P.0'), [...f.w].join(' '));
    assert.ok(!f.w.has('bh.async_write'), 'no write of another buffer\'s BH_Async_Write');
    assert.ok(f.r.has('bh.async_write'), 'the walk over b_this_page (tmp, assigned) reads every buffer');
  });
});

describe('where a page may be a tail, page_folio() is not the page', () => {
  it('thp-split-waiters: unlock_page(P) of a tail unlocks its head, so its future stays every page\'s', () => {
    const { race, file } = builtinRace('thp-split-waiters');
    const m = scenarioMachine({ race, file, eraSpec: '6.1' }).machine;
    const f = m.facts.classes.of(m.facts.classes.withObjects('unlock_page', ['page:P']));
    assert.ok(f.w.has('pg.locked'), [...f.w].join(' '));
    assert.ok(!f.w.has('pg.locked@P'));
  });
});

describe('the full reduction with futures per object reaches every end the plain search reaches', () => {
  it('two pages, one CPU each, built-in 6.1', () => {
    const plain = plainEnds(twoPages('none'), 400_000);
    const reduced = reducedEnds(twoPages('full'));
    console.log(`two-pages 6.1: plain ${plain.states} states, reduced ${reduced.states}; ${plain.worlds.size} end worlds`);
    assert.ok(plain.worlds.size > 0);
    assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
    assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
  });
});
