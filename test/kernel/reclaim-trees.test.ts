/**
 * Reclaim on the real 6.1 and 6.12 trees (issue 16, items 4 and 8). Both trees define
 * shrink_folio_list (Debian's 6.1 already has the folio name), and it runs from the
 * tree over an isolated list of folios (sim/lru-lists.ts) that the built-in
 * shrink_inactive_list() hands it, with a scan_control from a table
 * (sim/reclaim-objects.ts); pageout(), __remove_mapping(), folio_check_references(),
 * the pin test folio_maybe_dma_pinned() and folio_putback_lru() run from the tree too.
 * The flusher cleans the delayed-allocation folios (6.12's ext4 through the
 * ->writepage stand-in) and a later pass frees them: the race holds, with every CPU
 * taking steps. kswapd meeting a dirty folio a second time on a node flagged
 * PGDAT_DIRTY writes it itself (the fixture reclaim-kswapd-pageout.race), through the
 * tree's pageout(). A sentinel BUG() in each fires; the pin test edited to see every
 * folio as pinned leaves reclaim without progress.
 *
 * Skipped, with the reason, when a tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { parseScenarioText, type RaceFile } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { editedAt } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-reclaim-'));

const KSWAPD = path.resolve(__dirname, '..', '..', 'fixtures', 'races', 'reclaim-kswapd-pageout.race');

function kswapdRace(): { race: RaceFile; file: string } {
  const parsed = parseScenarioText(fs.readFileSync(KSWAPD, 'utf8'), KSWAPD);
  assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
  return { race: parsed.race!, file: KSWAPD };
}

function run(tree: string, extra: string[] = [], which: { race: RaceFile; file: string } = builtinRace('reclaim-writepage-refused'),
  filesystems = ['ext4']): RunResult {
  const { race, file } = which;
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.era, '6.1');
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems, cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

const PINNED = 'static inline bool folio_maybe_dma_pinned(struct folio *folio)\n{\n';
const PUTBACK = 'void folio_putback_lru(struct folio *folio)\n{\n';
/** the opening of a static function's body in mm/vmscan.c, whatever its parameters */
function opening(text: string, head: string): string {
  const at = text.indexOf(head);
  assert.ok(at >= 0, head);
  return text.slice(at, text.indexOf('{\n', at) + 2);
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `reclaim on the real ${release} tree`, release);
  describe(`reclaim on the real ${release} tree`, { skip }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
    let plain: RunResult | undefined;
    const plainRun = (): RunResult => (plain ??= run(tree!));

    it('holds: every CPU steps, and shrink_folio_list, pageout, __remove_mapping and their helpers run from the tree', () => {
      const r = plainRun();
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1 && r.states > 100, `${r.executions} executions, ${r.states} states`);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      for (const fn of ['shrink_folio_list', 'pageout', '__remove_mapping', 'folio_check_references', 'folio_check_dirty_writeback',
        'may_enter_fs', 'folio_maybe_dma_pinned', 'folio_putback_lru']) assert.equal(from(fn), 'source', fn);
      // the caller and the rmap walk below are stated built-ins
      assert.equal(from('shrink_inactive_list'), 'builtin');
      assert.equal(from('folio_referenced'), 'builtin');
      assert.ok(!r.assumptions.some((a) => a.kind === 'builtin-over-source' && a.function === 'shrink_folio_list'));
      // its constants and objects are modeled: no FOLIOREF_*, PGDAT_*, TTU_* or scan_control field taken as 0
      assert.deepEqual(r.assumptions.filter((a) => a.function === 'shrink_folio_list' && (a.kind === 'unknown-identifier' || a.kind === 'unmodeled-field')).map((a) => a.message), []);
      // reclaim does no O_DIRECT: neither the stand-in for ext4's iomap direct write nor the
      // table entry it replaces (6.1's noop_direct_IO, left out) is reached, so neither is said
      assert.deepEqual(r.assumptions.filter((a) => /\.direct_IO\b/.test(a.message)).map((a) => a.message), []);
    });

    it('a sentinel BUG() in folio_maybe_dma_pinned (include/linux/mm.h) fires', () => {
      const { copy, line } = editedAt(tree!, 'include/linux/mm.h', PINNED, `${PINNED}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in folio_maybe_dma_pinned:${line + 2}\\b`));
    });

    it('a sentinel BUG() in folio_putback_lru (mm/vmscan.c) fires', () => {
      const { copy, line } = editedAt(tree!, 'mm/vmscan.c', PUTBACK, `${PUTBACK}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in folio_putback_lru:${line + 2}\\b`));
    });

    it('a sentinel BUG() in the tree\'s shrink_folio_list fires', () => {
      const text = fs.readFileSync(path.join(tree!, 'mm/vmscan.c'), 'utf8');
      const open = opening(text, 'static unsigned int shrink_folio_list(');
      const { copy, line } = editedAt(tree!, 'mm/vmscan.c', open, `${open}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in shrink_folio_list:${line + open.split('\n').length - 1}\\b`));
    });

    it('kswapd writes a dirty folio it meets again on a PGDAT_DIRTY node through the tree\'s pageout(), and a later pass frees it', () => {
      const r = run(tree!, [], kswapdRace(), ['ext3']);
      assert.equal(r.verdict, 'holds', r.message);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      for (const fn of ['shrink_folio_list', 'pageout', '__remove_mapping']) assert.equal(from(fn), 'source', fn);
    });

    for (const [fn, head] of [['pageout', 'static pageout_t pageout('], ['__remove_mapping', 'static int __remove_mapping(']] as const) {
      it(`a sentinel BUG() in the tree's ${fn} fires (kswapd's second pass reaches it)`, () => {
        const text = fs.readFileSync(path.join(tree!, 'mm/vmscan.c'), 'utf8');
        const open = opening(text, head);
        const { copy, line } = editedAt(tree!, 'mm/vmscan.c', open, `${open}\tBUG();\n`);
        const r = run(tree!, [copy], kswapdRace(), ['ext3']);
        assert.equal(r.verdict, 'violated', r.message);
        assert.equal(r.invariant, 'bug-on');
        assert.match(r.message ?? '', new RegExp(`fired in ${fn}:${line + open.split('\n').length - 1}\\b`));
      });
    }

    it('the pin test edited to count every reference as a pin: no folio is ever freed (no-progress)', () => {
      const text = fs.readFileSync(path.join(tree!, 'include/linux/mm.h'), 'utf8');
      const body = text.slice(text.indexOf(PINNED));
      const cmp = /folio_ref_count\(folio\)\)\s*>=\s*\n?\s*GUP_PIN_COUNTING_BIAS/.exec(body);
      assert.ok(cmp, 'the comparison with GUP_PIN_COUNTING_BIAS');
      const { copy } = editedAt(tree!, 'include/linux/mm.h', cmp![0], 'folio_ref_count(folio)) >= 1');
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'no-progress');
      assert.match(r.message ?? '', /reclaim scanned \d+ pages and freed none/);
    });
  });
}
