/**
 * The CLI's text about assumptions: counted by kind with the first names of each,
 * skipped inputs counted by why, paths relative to the tree; `--assumptions` lists
 * them all. On the real 6.1 tree given whole, each built-in race's text (all thirteen)
 * fits in 15 lines without the trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { assumptionSummaryLines, allAssumptionLines, treeRelative } from 'racelens-server/out/report/assumption-summary.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';
import { cli, exitCode } from './helpers.js';
import { builtinScenarios } from 'racelens-server/out/scenario/library.js';

const tree = '/src/linux-6.1';
const list = [
  { kind: 'builtin-over-source', function: 'submit_bh_wbc', message: `submit_bh_wbc: the simulator primitive runs instead of the source at ${tree}/fs/buffer.c:2659: the block layer is a stated boundary`, at: { file: `${tree}/fs/buffer.c`, line: 2659, column: 1 } },
  { kind: 'builtin-over-source', function: 'folio_wait_bit', message: 'folio_wait_bit: the built-in model (builtin/models/6.1/filemap.c:3) runs instead of the source at mm/filemap.c:1466: wait-queue internals', at: { file: `${tree}/mm/filemap.c`, line: 1466, column: 1 } },
  ...['clock/a.h', 'clock/b.h', 'input/c.h'].map((f) => ({ kind: 'skipped-input', message: `${tree}/include/dt-bindings/${f}: a symbolic link (not followed)`, at: { file: `${tree}/include/dt-bindings/${f}`, line: 1, column: 1 } })),
  { kind: 'unknown-call', function: 'mapping_shrinkable', message: 'unknown call mapping_shrinkable(): no model, its result is taken as 0', at: { file: `${tree}/mm/truncate.c`, line: 40, column: 3 } },
];

test('a summary line per kind, most frequent first; skipped inputs counted by why, never listed', () => {
  const lines = assumptionSummaryLines(list, [tree], 200);
  assert.deepEqual(lines, [
    '  assumptions by kind (--assumptions lists each):',
    '    3 skipped-input (inputs not read): 3 a symbolic link (not followed)',
    '    2 builtin-over-source (a primitive, a no-op or a built-in model runs instead of the source): submit_bh_wbc, folio_wait_bit',
    '    1 unknown-call (calls to functions neither modeled nor found, taken as no-ops): mapping_shrinkable',
  ]);
  assert.ok(assumptionSummaryLines(list, [tree], 60).every((l) => l.length <= 60), 'each line within the width');
});

test('a skipped input the user named is named back, with why', () => {
  const lines = assumptionSummaryLines([{ kind: 'skipped-input', message: '/tmp/x/fifo.c: not a regular file (a FIFO)', at: { file: '/tmp/x/fifo.c', line: 1, column: 1 } }], ['/tmp/x/fifo.c'], 200);
  assert.equal(lines[1], '    1 skipped-input (inputs not read): /tmp/x/fifo.c: not a regular file (a FIFO)');
});

test('--assumptions lists each with paths inside the tree, whether given absolute or from the working directory', () => {
  const lines = allAssumptionLines(list, [tree]);
  assert.equal(lines.length, list.length);
  assert.equal(lines[0], '  assumption: fs/buffer.c:2659:1: submit_bh_wbc: the simulator primitive runs instead of the source at fs/buffer.c:2659: the block layer is a stated boundary (in submit_bh_wbc)');
  const fromCwd = treeRelative([path.relative('/home/u/work', tree)], '/home/u/work');
  assert.equal(fromCwd(`${path.relative('/home/u/work', tree)}/include/linux/sched/mm.h:12`), 'include/linux/sched/mm.h:12');
});

const real = findKernelTree();
const skip = skipWithoutTree(real, 'the CLI text of each built-in race on the whole 6.1 tree');
// every built-in race, not only the seeds': a violation (killable-lock-wakeup's deadlock on 6.1) exits 1
for (const race of builtinScenarios().map((s) => s.name).sort()) {
  test(`racelens run ${race} --src <the 6.1 tree>: at most 15 lines, paths inside the tree`, { skip }, () => {
    const r = cli(['run', race, '--src', real!, '--no-trace']);
    exitCode(r, /^\S+, era [\d.]+: VIOLATED /.test(r.stdout) ? 1 : 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length <= 15, `${lines.length} lines:\n${r.stdout}`);
    assert.doesNotMatch(r.stdout, /\.\.\/|dt-bindings/);
    const count = Number(/· (\d+) assumptions/.exec(lines[0]!)?.[1] ?? 0);
    if (race !== 'mmap-dirty-lost') return;
    const all = cli(['run', race, '--src', real!, '--no-trace', '--assumptions']);
    const listed = all.stdout.split('\n').filter((l) => l.startsWith('  assumption: '));
    assert.equal(listed.length, count);
    assert.ok(listed.every((l) => !l.includes(real!) && !l.includes('../')), listed.find((l) => l.includes('../')));
    assert.ok(listed.some((l) => /^ {2}assumption: fs\/buffer\.c:\d+:\d+: submit_bh_wbc/.test(l)));
  });
}
