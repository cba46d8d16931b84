/**
 * The race window of the seed races: the pairs of steps of different CPUs whose order
 * decides the verdict (explore/window.ts, from the explorer's dependence relation) and
 * the sentence built from them (scenario/race-window.ts), in the JSON result and the
 * CLI's text trace. Steps are found by what they do, not by their numbers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runBuiltin } from './fixtures.js';
import { traceColumns } from 'racelens-server/out/report/run-report.js';
import { toResultJson } from 'racelens-server/out/scenario/to-result-json.js';
import type { RunResult, TraceRow } from 'racelens-server/out/scenario/run.js';

/** The rows of transition `step`. */
function rows(r: RunResult, step: number): TraceRow[] {
  return (r.trace ?? []).filter((t) => t.step === step);
}

/** The window pair whose first step has a row matching `first` and whose second has one matching `then`. */
function pair(r: RunResult, first: { cpu: string; op: RegExp }, then: { cpu: string; op: RegExp }) {
  const has = (step: number, m: { cpu: string; op: RegExp }) => rows(r, step).some((t) => t.cpu === m.cpu && m.op.test(t.op));
  return r.window?.pairs.find((p) => has(p.first, first) && has(p.then, then));
}

describe('the race window', () => {
  it('writeback-stale-wake 5.10: CPU1 and CPU2 run between CPU0 clearing PG_writeback and its wake-up', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.ok(r.window, 'a violated run has a window');
    const cleared = pair(r, { cpu: 'P0', op: /^TestClearPageWriteback\(P\)/ }, { cpu: 'P1', op: /^PageWriteback\(P\) = 0/ });
    assert.ok(cleared, `CPU1 finds PG_writeback clear after CPU0 cleared it: ${JSON.stringify(r.window.pairs)}`);
    assert.deepEqual(cleared.on, ['P.writeback']);
    const slept = pair(r, { cpu: 'P2', op: /^page_wait_queue_add\(P, writeback\)/ }, { cpu: 'P0', op: /^PageWaiters\(P\) = 1/ });
    assert.ok(slept, 'CPU2 queues itself on the writeback bit before CPU0 looks for waiters (the stale wake-up)');
    assert.deepEqual(slept.on, ['P.waiters']);
    for (const p of r.window.pairs) {
      assert.ok(p.first < p.then);
      assert.notEqual(rows(r, p.first)[0]!.cpu, rows(r, p.then)[0]!.cpu, 'a window pair is two CPUs');
      assert.ok(r.window.steps.includes(p.first) && r.window.steps.includes(p.then));
    }
    // the sentence: Linus's three columns in words
    assert.match(r.window.sentence, new RegExp(`P1's PageWriteback\\(\\) \\(step ${cleared.then}\\) and P2's page_wait_queue_add\\(\\) \\(step ${slept.first}\\) land after P0's TestClearPageWriteback\\(\\) \\(step ${cleared.first}\\) and before its PageWaiters\\(\\) \\(step ${slept.then}\\)`));
    assert.match(r.window.sentence, /the same schedule no longer ends in bug-on\.$/);
  });

  it('writeback-stale-wake 5.11 holds and has no window', () => {
    const r = runBuiltin('writeback-stale-wake', '5.11');
    assert.equal(r.verdict, 'holds');
    assert.equal(r.window, undefined);
  });

  it('mmap-dirty-lost 2.6.19: the fault marks the page dirty after writeback tested and cleared PG_dirty', () => {
    const r = runBuiltin('mmap-dirty-lost', '2.6.19');
    assert.equal(r.invariant, 'sync-durability');
    const p = pair(r, { cpu: 'P2', op: /^TestClearPageDirty\(P\)/ }, { cpu: 'P0', op: /^TestSetPageDirty\(P\)/ });
    assert.ok(p, JSON.stringify(r.window));
    assert.deepEqual(p.on, ['P.dirty']);
    assert.match(r.window!.sentence, new RegExp(`^P0's TestSetPageDirty\\(\\) \\(step ${p.then}\\) comes after P2's TestClearPageDirty\\(\\) \\(step ${p.first}\\)`));
  });

  it('truncate-vs-writeback 5.9: truncation drops the last reference between clearing PG_writeback and the wake-up', () => {
    const r = runBuiltin('truncate-vs-writeback', '5.9');
    assert.equal(r.invariant, 'freed-under-writeback');
    const cleared = pair(r, { cpu: 'io', op: /^TestClearPageWriteback\(P\)/ }, { cpu: 'P1', op: /^find_get_page_from\(F, 0\) = P/ });
    const freed = pair(r, { cpu: 'P1', op: /^put_page\(P\)/ }, { cpu: 'io', op: /^PageWaiters\(P\)/ });
    assert.ok(cleared && freed, JSON.stringify(r.window));
    assert.deepEqual(freed.on, ['P.freed']);
    assert.match(r.window!.sentence, /P1's steps from find_get_page_from\(\) \(step \d+\) to put_page\(\) \(step \d+\) land after the I\/O completion's TestClearPageWriteback\(\) \(step \d+\) and before its PageWaiters\(\) \(step \d+\)/);
  });

  it('is in the JSON result and marked in the CLI text trace', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    const json = toResultJson(r, { scenario: r.scenario, era: r.era, sources: [], reduction: 'full' });
    assert.deepEqual(json.window, r.window);
    const text = traceColumns(r, 120);
    for (const s of r.window!.steps) assert.match(text, new RegExp(`^ *${s}↔`, 'm'), `step ${s} is marked`);
    assert.match(text, /↔ the race window, steps [\d, ]+: P1's PageWriteback\(\)/);
  });
});
