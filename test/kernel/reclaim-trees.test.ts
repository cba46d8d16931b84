/**
 * Reclaim on the real 6.1 and 6.12 trees (issue 16, items 4 and 8). Both trees define
 * shrink_folio_list (Debian's 6.1 already has the folio name), which the catalog keeps
 * as a built-in (no list_head or scan_control objects yet): era 6.1's model in 6.1's
 * order, direct reclaim, runs instead, said as a builtin-over-source assumption naming
 * the tree's definition. Its checks that the tree defines run from source: the pin
 * test folio_maybe_dma_pinned() (include/linux/mm.h) and folio_putback_lru()
 * (mm/vmscan.c). The flusher cleans the delayed-allocation folios (6.12's ext4 through
 * the ->writepage stand-in) and a later pass frees them: the race holds, with every CPU
 * taking steps. A sentinel BUG() in the source helpers fires; the pin test edited to
 * see every folio as pinned leaves reclaim without progress.
 *
 * Skipped, with the reason, when a tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-reclaim-'));

function run(tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace('reclaim-writepage-refused');
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.era, '6.1');
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['ext4'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

/** A copy of a real file with one edit, in a temporary folder (the tree is never touched). */
function edited(tree: string, file: string, from: string, to: string): { copy: string; line: number } {
  const text = fs.readFileSync(path.join(tree, file), 'utf8');
  const at = text.indexOf(from);
  assert.ok(at >= 0, `the edit applies to ${file}`);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-reclaim-edit-')), path.basename(file));
  fs.writeFileSync(copy, text.replace(from, to));
  return { copy, line: text.slice(0, at).split('\n').length };
}

const PINNED = 'static inline bool folio_maybe_dma_pinned(struct folio *folio)\n{\n';
const PUTBACK = 'void folio_putback_lru(struct folio *folio)\n{\n';

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `reclaim on the real ${release} tree`, release);
  describe(`reclaim on the real ${release} tree`, { skip }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
    let plain: RunResult | undefined;
    const plainRun = (): RunResult => (plain ??= run(tree!));

    it('holds: every CPU steps, the tree\'s pin test and putback run, and the built-in shrink_folio_list is said with the tree\'s definition', () => {
      const r = plainRun();
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1 && r.states > 100, `${r.executions} executions, ${r.states} states`);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      assert.equal(from('folio_maybe_dma_pinned'), 'source');
      assert.equal(from('folio_putback_lru'), 'source');
      assert.equal(from('shrink_folio_list'), 'builtin');
      const kept = r.assumptions.find((a) => a.kind === 'builtin-over-source' && a.function === 'shrink_folio_list');
      assert.match(kept?.message ?? '', /builtin\/models\/6\.1\/vmscan\.c:\d+\) runs instead of the source at .*mm\/vmscan\.c:\d+: reclaim works on LRU lists/);
      assert.deepEqual(r.assumptions.filter((a) => a.kind === 'unknown-identifier' && a.function === 'shrink_folio_list').map((a) => a.message), []);
      // reclaim does no O_DIRECT: neither the stand-in for ext4's iomap direct write nor the
      // table entry it replaces (6.1's noop_direct_IO, left out) is reached, so neither is said
      assert.deepEqual(r.assumptions.filter((a) => /\.direct_IO\b/.test(a.message)).map((a) => a.message), []);
    });

    it('a sentinel BUG() in folio_maybe_dma_pinned (include/linux/mm.h) fires', () => {
      const { copy, line } = edited(tree!, 'include/linux/mm.h', PINNED, `${PINNED}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in folio_maybe_dma_pinned:${line + 2}\\b`));
    });

    it('a sentinel BUG() in folio_putback_lru (mm/vmscan.c) fires', () => {
      const { copy, line } = edited(tree!, 'mm/vmscan.c', PUTBACK, `${PUTBACK}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in folio_putback_lru:${line + 2}\\b`));
    });

    it('the pin test edited to count every reference as a pin: no folio is ever freed (no-progress)', () => {
      const text = fs.readFileSync(path.join(tree!, 'include/linux/mm.h'), 'utf8');
      const body = text.slice(text.indexOf(PINNED));
      const cmp = /folio_ref_count\(folio\)\)\s*>=\s*\n?\s*GUP_PIN_COUNTING_BIAS/.exec(body);
      assert.ok(cmp, 'the comparison with GUP_PIN_COUNTING_BIAS');
      const { copy } = edited(tree!, 'include/linux/mm.h', cmp![0], 'folio_ref_count(folio)) >= 1');
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'no-progress');
      assert.match(r.message ?? '', /reclaim scanned \d+ pages and freed none/);
    });
  });
}
