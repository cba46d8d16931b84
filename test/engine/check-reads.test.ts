/**
 * A read whose result only checks use (a VM_BUG_ON's `page_ref_count(page) == 0` before
 * the decrement) joins the thread's next step (sim/machine.ts readsForChecks, the
 * faint-variable analysis of sim/check-only.ts). The read then happens at the state the
 * joined transition starts from: every state where the thread is about to read, so a
 * check that fires only when another CPU moved in between is still found. Checked on
 * fixtures of ours (test/fixtures/kernel/end-writeback-refcheck*): the reduced search
 * reaches the ends of a plain one, the verdicts are those without the reduction, and the
 * reduction saves states.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Machine, SimState, StepEvent } from 'racelens-server/out/sim/machine.js';
import { runScenario, scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { explore, type TransitionSystem } from 'racelens-server/out/explore/index.js';
import { checkOnly } from 'racelens-server/out/sim/check-only.js';
import { calleeField, paramField } from 'racelens-server/out/sim/function-classes.js';
import type { FunctionProgram, Instr } from 'racelens-server/out/sim/program.js';
import { builtinRace, kernelFixture } from './fixtures.js';
import { plainEnds, reducedEnds } from './ends.js';


function models(fixture: string, era = '6.1') {
  return sourceModelSet(era, [kernelFixture(fixture)]);
}

function run(fixture: string, fuseCheckReads = true, scenario = 'truncate-vs-writeback', era = '6.1', stuckWaiters = false) {
  const { race, file } = builtinRace(scenario);
  return runScenario({ race, file, eraSpec: era, models: models(fixture, era), fuseCheckReads, stuckWaiters });
}

function machineOf(fixture: string, reduction: 'none' | 'full', scenario = 'truncate-vs-writeback', era = '6.1', stuckWaiters = false): Machine {
  const { race, file } = builtinRace(scenario);
  return scenarioMachine({ race, file, eraSpec: era, models: models(fixture, era), reduction, stuckWaiters }).machine;
}





describe('a read only checks use joins the next step', () => {
  it('a refcount check after the wake-up, which fires only when truncation ran in between, is still found', () => {
    const r = run('end-writeback-refcheck');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(folio_ref_count\(folio\) == 1\) fired in folio_end_writeback/);
    // truncation took the page out of the page cache between the wake-up and the read
    const rows = r.trace!;
    const wake = rows.findIndex((t) => t.cpu === 'io' && /^folio_test_waiters/.test(t.op));
    const removed = rows.findIndex((t) => t.cpu === 'P1' && /^__filemap_remove_folio/.test(t.op));
    assert.ok(wake >= 0 && removed >= 0 && removed < rows.length - 1, 'truncation removed the page before the read');
    assert.match(rows[rows.length - 1].op, /^folio_ref_count\(P\) = 1/);
    const without = run('end-writeback-refcheck', false);
    assert.equal(without.verdict, 'violated');
    assert.equal(without.message, r.message);
  });

  it('the same check while PG_writeback is set never fires, in fewer states than without the reduction', () => {
    const r = run('end-writeback-refcheck-early');
    const without = run('end-writeback-refcheck-early', false);
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(without.verdict, 'holds', without.message);
    assert.ok(r.states < without.states, `${r.states} states with the reduction, ${without.states} without`);
  });

  for (const fixture of ['end-writeback-refcheck', 'end-writeback-refcheck-early']) {
    it(`${fixture}: the reduced search reaches every end of the plain one, and the read joins its next step`, () => {
      const plain = plainEnds(machineOf(fixture, 'none'));
      const reduced = reducedEnds(machineOf(fixture, 'full'));
      assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
      assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
      // the read is never a transition of its own: when the check does not fire, the step after it is in the same transition
      const reads = reduced.events.filter((e) => e.fn === 'folio_end_writeback' && /^folio_ref_count/.test(e.op));
      assert.ok(reads.length > 0);
      for (const e of reads) {
        if (e.remarks.length === 0 && !/= 1$/.test(e.op)) assert.ok(e.fused && e.fused.length > 0, `${e.op} joined`);
      }
    });
  }
});

describe('a write that leaves its location as it was is a read; a thread about to wait may be left for later (off by default)', () => {
  // folio_lock as 6.1's pagemap.h spells it: test_and_set_bit_lock, then __folio_lock's wait
  const CASES: [string, string, string][] = [
    ['truncate-vs-writeback', '6.1', 'holds'],
    ['truncate-vs-writeback', '6.1+early-unlock', 'violated'],
    ['writeback-stale-wake', '6.1', 'holds'],
    ['mmap-dirty-lost', '2.6.19', 'violated'],
  ];
  for (const [scenario, era, verdict] of CASES) {
    it(`${scenario} ${era} with folio_lock from source: the verdict, and every end of the plain search`, () => {
      const r = run('folio-lock-trylock', true, scenario, era);
      assert.equal(r.verdict, verdict, r.message);
      assert.equal(r.models.find((m) => m.function === 'folio_trylock')?.from, 'source');
      // the waiters rule (off by default) gives the same verdict in no more states
      const waiters = run('folio-lock-trylock', true, scenario, era, true);
      assert.equal(waiters.verdict, verdict);
      assert.equal(waiters.invariant, r.invariant);
      assert.ok(waiters.states <= r.states, `${waiters.states} states leaving waiters out, ${r.states} without`);
      const plain = plainEnds(machineOf('folio-lock-trylock', 'none', scenario, era));
      for (const stuckWaiters of [false, true]) {
        const reduced = reducedEnds(machineOf('folio-lock-trylock', 'full', scenario, era, stuckWaiters));
        assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), `violated invariants (waiters rule ${stuckWaiters})`);
        assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), `final worlds (waiters rule ${stuckWaiters})`);
      }
    });
  }

  it('a trylock that finds the bit set reads PG_locked and writes nothing; the waiters rule saves states', () => {
    const m = machineOf('folio-lock-trylock', 'full', 'writeback-stale-wake');
    let failed = 0;
    const sys: TransitionSystem<SimState, StepEvent> = {
      initial: () => m.initial(), key: (s) => m.key(s), threads: (s) => m.threads(s),
      enabled: (s, t) => m.enabled(s, t), footprint: (s, t) => m.footprint(s, t),
      persistent: (s, e) => m.persistent(s, e), release: (s) => m.release(s), finish: (s) => m.finish(s),
      step: (s, t) => {
        const r = m.step(s, t);
        if (/^test_and_set_bit_lock\(locked, P\) = 1$/.test(r.event.op)) {
          const fp = m.footprint(s, t);
          assert.ok(fp.reads.includes('pg:P.locked'), fp.reads.join(' '));
          assert.ok(!fp.writes.includes('pg:P.locked'), fp.writes.join(' '));
          failed++;
        }
        return r;
      },
    };
    explore(sys, { reduction: 'full', stopAtFirstViolation: false, shortest: false });
    assert.ok(failed > 0, 'some trylock found the page locked');
    const r = run('folio-lock-trylock', true, 'writeback-stale-wake', '6.1', true);
    const without = run('folio-lock-trylock', true, 'writeback-stale-wake');
    assert.ok(r.states < without.states, `${r.states} states leaving waiters out, ${without.states} without`);
  });
});

describe('check-only.ts: which values only checks read', () => {
  const local = (name: string) => ({ k: 'local' as const, name });
  const program = (code: Instr[], outParams?: string[]): FunctionProgram =>
    ({ name: 'f', params: ['p'], code, ...(outParams ? { outParams } : {}) }) as unknown as FunctionProgram;
  const slotsOf = (fn: FunctionProgram): Map<string, number> => {
    const slots = new Map<string, number>();
    const add = (n: string) => { if (!slots.has(n)) slots.set(n, slots.size); };
    fn.params.forEach(add);
    for (const i of fn.code) if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) add(i.dst);
    return slots;
  };
  const read: Instr = { op: 'call', callee: 'atomic_read', args: [local('p')], dst: 'v' };
  const eq0 = { k: 'bin' as const, op: '==' as const, a: local('v'), b: { k: 'num' as const, v: 0 } };

  it('a value only a check reads is neither real nor returned after its read', () => {
    const fn = program([read, { op: 'check', kind: 'bug', c: eq0 }, { op: 'ret' }]);
    const s = slotsOf(fn);
    const info = checkOnly(fn, s);
    assert.equal(info.real[1].has(s.get('v')!), false);
    assert.equal(info.returned[1].has(s.get('v')!), false);
  });

  it('a value a branch decides on is real, and so is one copied into a local a branch reads', () => {
    const direct = program([read, { op: 'br', c: eq0, t: 2, f: 2 }, { op: 'ret' }]);
    assert.equal(checkOnly(direct, slotsOf(direct)).real[1].has(slotsOf(direct).get('v')!), true);
    const copied = program([read, { op: 'set', dst: 'w', e: eq0 }, { op: 'br', c: local('w'), t: 3, f: 3 }, { op: 'ret' }]);
    assert.equal(checkOnly(copied, slotsOf(copied)).real[1].has(slotsOf(copied).get('v')!), true);
  });

  it('a value copied into a local nothing reads stays check-only (faint, not merely live)', () => {
    const fn = program([read, { op: 'set', dst: 'w', e: eq0 }, { op: 'check', kind: 'warn', c: local('w') }, { op: 'ret' }]);
    assert.equal(checkOnly(fn, slotsOf(fn)).real[1].has(slotsOf(fn).get('v')!), false);
  });

  it('a returned value is returned (the caller decides), an argument of a call or a store is real', () => {
    const ret = program([read, { op: 'ret', e: local('v') }]);
    const s = slotsOf(ret);
    assert.equal(checkOnly(ret, s).real[1].has(s.get('v')!), false);
    assert.equal(checkOnly(ret, s).returned[1].has(s.get('v')!), true);
    const arg = program([read, { op: 'call', callee: 'g', args: [local('v')] }, { op: 'ret' }]);
    assert.equal(checkOnly(arg, slotsOf(arg)).real[1].has(slotsOf(arg).get('v')!), true);
    const store = program([read, { op: 'store', obj: local('p'), field: 'x', e: local('v') }, { op: 'ret' }]);
    assert.equal(checkOnly(store, slotsOf(store)).real[1].has(slotsOf(store).get('v')!), true);
  });

  it('a value copied into an out-parameter is real (the caller gets it back)', () => {
    const fn = program([read, { op: 'set', dst: 'p', e: local('v') }, { op: 'ret' }], ['p']);
    assert.equal(checkOnly(fn, slotsOf(fn)).real[1].has(slotsOf(fn).get('v')!), true);
  });
});

describe('calls through pointers: which functions a future may reach', () => {
  const local = (name: string) => ({ k: 'local' as const, name });
  const program = (params: string[], code: Instr[]): FunctionProgram => ({ name: 'f', params, code }) as unknown as FunctionProgram;
  const call: Instr = { op: 'call', callee: local('h'), args: [local('bh')] };

  it('a local loaded once from a field is that field, a parameter never set is the parameter; a local set twice or through &local is not known', () => {
    const load: Instr = { op: 'load', dst: 'h', obj: local('bh'), field: 'b_end_io' };
    assert.equal(calleeField(program(['bh'], [load, call, { op: 'ret' }]), local('h')), 'b_end_io');
    assert.equal(calleeField(program(['bh', 'h'], [call, { op: 'ret' }]), local('h')), paramField('f', 1));
    assert.equal(calleeField(program(['bh', 'h'], [load, call, { op: 'ret' }]), local('h')), undefined);
    assert.equal(calleeField(program(['bh'], [load, load, call, { op: 'ret' }]), local('h')), undefined);
    const out: Instr = { op: 'call', callee: 'g', args: [{ k: 'ref', name: 'h' }] };
    assert.equal(calleeField(program(['bh'], [load, out, call, { op: 'ret' }]), local('h')), undefined);
    assert.equal(calleeField(program(['bh'], [call]), { k: 'field', obj: local('bh'), field: 'b_end_io' } as never), 'b_end_io');
  });

  it('bh->b_end_io in the 6.1 buffer write path: the handler __block_write_full_page hands on, found through its callers', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const m = scenarioMachine({ race, file, eraSpec: '6.1' }).machine.facts;
    assert.deepEqual(m.indirectTargets('b_end_io'), ['end_buffer_async_write']);
  });

  it('a call through a parameter reaches what the callers pass; a function also called through a pointer or started as a thread may reach anything', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const m = scenarioMachine({ race, file, eraSpec: '6.1', models: sourceModelSet('6.1', [kernelFixture('write-cache-pages-folios')]) }).machine.facts;
    const all = m.indirectTargets();
    const wcp = m.indirectTargets(paramField('write_cache_pages', 2));
    assert.ok(wcp.length > 0 && wcp.length < all.length, `write_cache_pages's writepage: ${wcp.join(', ')}`);
    assert.equal(m.indirectTargets(paramField('P0:user', 0)).length, all.length);
  });
});
