/**
 * `racelens review` on a temporary copy of the real 6.1 tree made a git repository, so
 * that the patches are real `git format-patch` output: dropping folio_mkclean() from
 * folio_clear_dirty_for_io() breaks mmap-dirty-lost, its reverse fixes it, a patch to
 * a function no race reaches says so, a three-patch series is judged patch by patch,
 * and the same series mangled like seed 001 and quoted in replies gives the same
 * table. One run memo serves every test (a state of the source runs once). Skipped,
 * with a message, when the tree is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePatches } from 'racelens-server/out/review/parse.js';
import { review, type StepReport } from 'racelens-server/out/review/review.js';
import { newRunMemo } from 'racelens-server/out/review/races.js';
import { reviewExitStatus, jsonReport } from 'racelens-server/out/review/report.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';
import { gitTree, mangle, quoteInReply, type GitTree } from './git-tree.js';

const TREE = findKernelTree();
const skip = skipWithoutTree(TREE, 'review on the real 6.1 tree');
const PW = 'mm/page-writeback.c';
const MKCLEAN = /\t\tif \(folio_mkclean\(folio\)\)\n\t\t\tfolio_mark_dirty\(folio\);\n/;
const AFTER_MKCLEAN_COMMENT = /(\t\t \* threads doing their things\.\n\t\t \*\/\n)/;

describe('review on the real 6.1 tree', { skip }, () => {
  let t: GitTree;
  const memo = newRunMemo();
  const patches: Record<string, string> = {};
  let cache: string;
  let savedCache: string | undefined;

  before(() => {
    // the lift cache of this suite is its own: the tree's copy is new to it
    savedCache = process.env.RACELENS_LIFT_CACHE;
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-review-lift-'));
    process.env.RACELENS_LIFT_CACHE = savedCache ?? cache;
    t = gitTree(TREE!, [PW]);
    patches.unrelated = t.commit('mm: say why writing 0 to dirty_writeback_centisecs matters', {
      [PW]: (s) => s.replace(/(\tret = proc_dointvec\(table, write, buffer, length, ppos\);\n)/, '$1\tif (ret)\n\t\treturn ret;\n'),
    });
    patches.break = t.commit('mm: drop folio_mkclean() from folio_clear_dirty_for_io()', { [PW]: (s) => s.replace(MKCLEAN, '') });
    patches.fix = t.commit('mm: clean the PTEs again in folio_clear_dirty_for_io()', {
      [PW]: (s) => s.replace(AFTER_MKCLEAN_COMMENT, '$1\t\tif (folio_mkclean(folio))\n\t\t\tfolio_mark_dirty(folio);\n'),
    });
    t.reset();
  });
  after(() => {
    t?.remove();
    fs.rmSync(cache, { recursive: true, force: true });
    if (savedCache === undefined) delete process.env.RACELENS_LIFT_CACHE;
  });

  const run = (texts: [string, string][]): StepReport[] => {
    const ps = texts.flatMap(([name, text]) => parsePatches(text, name));
    return review(ps, { target: { kind: 'tree', tree: t.root }, era: '6.1', memo });
  };
  const table = (steps: StepReport[]) => steps.map((s) => s.races.map((r) => `${r.scenario} ${r.change}: ${r.invariants.map((i) => `${i.name} ${i.before}->${i.after}`).join(', ')}`));

  it('dropping folio_mkclean() from folio_clear_dirty_for_io breaks mmap-dirty-lost (exit 1), with the new trace', () => {
    const steps = run([['break.patch', patches.break]]);
    const [s] = steps;
    // the series' first patch, committed before it, moved the function by two lines
    assert.deepEqual(s.step.hunks.map((h) => [h.applied, h.how, h.function, h.target]), [[true, 'offset', 'folio_clear_dirty_for_io', 'mm/page-writeback.c:2883']]);
    const race = s.races.find((r) => r.scenario === 'mmap-dirty-lost');
    assert.equal(race?.change, 'breaks');
    assert.ok(race!.traces.some((x) => x.change === 'breaks' && (x.run.trace?.length ?? 0) > 0));
    assert.equal(reviewExitStatus(steps), 1);
    const json = jsonReport(steps, [t.root]) as { version: number; races: { scenario: string; change: string; before: { verdict: string }; after: { verdict: string } }[] };
    assert.equal(json.version, 1);
    assert.equal(json.races.find((r) => r.scenario === 'mmap-dirty-lost')?.after.verdict, 'violated');
  });

  it('its reverse (git format-patch of the revert, on the broken tree) fixes it', () => {
    fs.writeFileSync(path.join(t.root, PW), t.base(PW).replace(MKCLEAN, ''));
    try {
      const reverse = patches.break.replace(/^-(\t\tif \(folio_mkclean|\t\t\tfolio_mark_dirty)/gm, '+$1').replace('@@ -2883,8 +2883,6 @@', '@@ -2883,6 +2883,8 @@');
      const steps = run([['reverse.patch', reverse]]);
      assert.equal(steps[0].races.find((r) => r.scenario === 'mmap-dirty-lost')?.change, 'fixes');
      assert.equal(reviewExitStatus(steps), 0);
    } finally {
      t.reset();
    }
  });

  it('a patch to a function no race reaches says so (exit 0)', () => {
    const steps = run([['unrelated.patch', patches.unrelated]]);
    assert.deepEqual(steps[0].races, []);
    assert.deepEqual(steps[0].unreached, ['dirty_writeback_centisecs_handler']);
    assert.match(steps[0].knows[0].what, /not in the catalog/);
    assert.equal(reviewExitStatus(steps), 0);
  });

  let series: StepReport[];
  it('a series of three (unrelated, break, fix) is judged patch by patch', () => {
    series = run([['series.mbox', patches.unrelated + patches.break + patches.fix]]);
    assert.equal(series.length, 3);
    assert.deepEqual(series[0].races, []);
    assert.equal(series[1].races.find((r) => r.scenario === 'mmap-dirty-lost')?.change, 'breaks');
    assert.equal(series[2].races.find((r) => r.scenario === 'mmap-dirty-lost')?.change, 'fixes');
    assert.deepEqual(series.map((s) => s.step.patch.subject), [
      'mm: say why writing 0 to dirty_writeback_centisecs matters', 'mm: drop folio_mkclean() from folio_clear_dirty_for_io()', 'mm: clean the PTEs again in folio_clear_dirty_for_io()',
    ]);
  });

  it('the same series mangled like seed 001 and quoted in replies gives the same table', () => {
    const replies = [patches.unrelated, patches.break, patches.fix].map((p, i) => `From r${i}@example.org Mon Jan  1 00:00:00 2024\nFrom: r${i}@example.org\nSubject: Re: patch ${i + 1}\n\n${quoteInReply(mangle(p), 1 + (i % 2))}\n`);
    const steps = run([['replies.mbox', replies.join('')]]);
    assert.deepEqual(steps.map((s) => s.step.hunks.map((h) => [h.applied, h.how])), [[[true, 'whitespace']], [[true, 'whitespace']], [[true, 'whitespace']]]);
    assert.deepEqual(table(steps), table(series));
  });
});
