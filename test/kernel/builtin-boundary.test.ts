/**
 * No built-in silently beats the real 6.1 source, and the block layer is a stated
 * boundary. On the tree `npm run kernel` fetches: a sentinel BUG() added to a helper
 * that used to be a simulator primitive (folio_unlock, i_size_read, folio_put, trylock_buffer)
 * fires now that its source runs; a helper that stays a primitive or a no-op is said,
 * at its definition, with the reason. On a whole tree (with block/, as `npm run kernel`
 * extracts it): the seed races no longer stop at blk_start_plug (`NULL pointer
 * dereference: ->plug`, since nothing models `current`); the plug is not lifted, and
 * its definition is said with the reason: the block layer is a stated boundary. Edits are
 * copies of one real file in a temporary folder, given as a later --src input; the lift
 * cache is a temporary folder. Skipped, with a message, when the tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { noopReason } from 'racelens-server/out/catalog/noops.js';
import { entryByName } from 'racelens-server/out/catalog/functions.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, kernelTreeCandidates, skipWithoutTree } from './tree.js';
import { edited } from './tree-copy.js';

const TREE = findKernelTree();
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
const skip = skipWithoutTree(TREE, 'built-ins over the real 6.1 source');

/** A whole 6.1 tree (with block/): the one `npm run kernel` extracts, or Debian's extracted by hand. */
const WHOLE_CANDIDATES = [...(TREE ? [TREE] : []), ...kernelTreeCandidates()];
const WHOLE = WHOLE_CANDIDATES.find((d) => fs.existsSync(path.join(d, 'block', 'blk-core.c')) && fs.existsSync(path.join(d, 'mm', 'filemap.c')));
const skipWhole = WHOLE ? false : `skipped: no whole 6.1 tree with block/ (looked in ${[...new Set(WHOLE_CANDIDATES)].join(', ')}; npm run kernel)`;
if (!WHOLE) it('the block layer as a stated boundary, on a whole 6.1 tree', { skip: skipWhole as string }, () => {});

function run(scenario: string, tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(scenario);
  const models = sourceModelSet('6.1', [tree, ...extra], {
    roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE,
  });
  return runScenario({ race, file, eraSpec: '6.1', models });
}

/** The 1-based line of the first match in a file of the tree. */
function lineOf(tree: string, file: string, re: RegExp): number {
  const text = fs.readFileSync(path.join(tree, file), 'utf8');
  const m = re.exec(text);
  assert.ok(m, `${re} in ${file}`);
  return text.slice(0, m!.index).split('\n').length;
}

function noteOf(r: RunResult, fn: string) {
  return (r.assumptions ?? []).find((a) => a.kind === 'builtin-over-source' && a.function === fn);
}

describe('built-ins over the real 6.1 source', { skip }, () => {
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  const sentinels: [scenario: string, fn: string, file: string, from: RegExp, to: string][] = [
    ['writeback-stale-wake', 'folio_unlock', 'mm/filemap.c', /(void folio_unlock\(struct folio \*folio\)\n\{\n)/, '$1\tBUG();\n'],
    ['mmap-dirty-lost', 'i_size_read', 'include/linux/fs.h', /(static inline loff_t i_size_read\(const struct inode \*inode\)\n\{\n)/, '$1\tBUG();\n'],
    ['writeback-stale-wake', 'folio_put', 'include/linux/mm.h', /(static inline void folio_put\(struct folio \*folio\)\n\{\n)/, '$1\tBUG();\n'],
    ['mmap-dirty-lost', 'trylock_buffer', 'include/linux/buffer_head.h', /(static inline int trylock_buffer\(struct buffer_head \*bh\)\n\{\n)/, '$1\tBUG();\n'],
  ];
  for (const [scenario, fn, file, from, to] of sentinels) {
    it(`a sentinel BUG() in the real ${fn} (${file}) fires in ${scenario}: its source runs, not the primitive`, () => {
      const plain = run(scenario, TREE!);
      assert.equal(plain.verdict, 'holds', plain.message);
      assert.equal(plain.models.find((m) => m.function === fn)?.from, 'source', `${fn} runs from source`);
      const r = run(scenario, TREE!, [edited(TREE!, file, from, to)]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
    });
  }

  it('a helper served by a built-in model or a no-op is noted at its real definition, with the reason (folio_wake_bit, submit_bh_wbc)', () => {
    // the wake-up walk is the era's built-in model (the wait queues are not data yet): the catalog says why
    const wake = noteOf(run('writeback-stale-wake', TREE!), 'folio_wake_bit');
    assert.ok(wake, 'folio_wake_bit is noted');
    assert.ok(wake!.at!.file.endsWith('mm/filemap.c'), wake!.at!.file);
    assert.equal(wake!.at!.line, lineOf(TREE!, 'mm/filemap.c', /^static void folio_wake_bit\(/m));
    assert.ok(wake!.message.includes(entryByName('folio_wake_bit')!.lift!.why), wake!.message);
    const submit = noteOf(run('mmap-dirty-lost', TREE!), 'submit_bh_wbc');
    assert.ok(submit, 'submit_bh_wbc is noted');
    assert.ok(submit!.at!.file.endsWith('fs/buffer.c'), submit!.at!.file);
    assert.equal(submit!.at!.line, lineOf(TREE!, 'fs/buffer.c', /^static \w+ submit_bh_wbc\([^;{]*\{/m));
    assert.match(submit!.message, /block layer is a stated boundary/);
  });

  it('every primitive or no-op the seed races follow into the source has a recorded reason', () => {
    for (const scenario of ['mmap-dirty-lost', 'truncate-vs-writeback', 'writeback-stale-wake']) {
      const r = run(scenario, TREE!);
      const unexplained = r.assumptions.filter((a) => a.kind === 'builtin-over-source' && /no reason is recorded/.test(a.message));
      assert.deepEqual(unexplained.map((a) => a.function), [], scenario);
    }
  });
});

describe('the block layer as a stated boundary, on a whole 6.1 tree', { skip: skipWhole }, () => {
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  for (const scenario of ['truncate-vs-writeback', 'mmap-dirty-lost', 'writeback-stale-wake']) {
    it(`${scenario} holds on the whole tree: blk_start_plug/blk_finish_plug are not lifted, and said so`, () => {
      const r = run(scenario, WHOLE!);
      assert.equal(r.verdict, 'holds', r.message);
      assert.deepEqual(r.models.filter((m) => /(^|\/)block\//.test(m.file ?? '')).map((m) => m.function), [], 'nothing of block/ runs');
      for (const fn of ['blk_start_plug', 'blk_finish_plug']) {
        const a = r.assumptions.find((x) => x.kind === 'builtin-over-source' && x.function === fn);
        assert.ok(a, `${fn} is noted`);
        assert.ok(a!.at!.file.endsWith('block/blk-core.c'), a!.at!.file);
        assert.equal(a!.at!.line, lineOf(WHOLE!, 'block/blk-core.c', new RegExp(`^void ${fn}\\(`, 'm')));
        assert.ok(a!.message.includes(noopReason(fn)!));
      }
    });
  }
});
