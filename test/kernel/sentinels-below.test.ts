/**
 * Issue 16's sentinel line for the layers whose other tests flip verdicts but plant no
 * BUG(): the buffers' release (try_to_free_buffers, which reclaim reaches in
 * pinned-page-buffers only once the trees' pin test is out of shrink_folio_list: with
 * it, reclaim leaves the pinned folio alone, and ext4's journalled release is left out), buffer migration (buffer_migrate_folio_norefs, in
 * buffer-migrate-lookup) and inode writeback (__writeback_single_inode, in
 * inode-writeback-lists). On each whole tree the plain run says the function ran from
 * source; a copy of its file with a BUG() as the body's first statement is violated
 * `bug-on`, the BUG() named at its line: the verdicts rest on the tree's code.
 *
 * Skipped, with the reason, when a tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { editedAt } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-sentinels-'));

/** [race, function, file, the opening of its definition up to the body's brace, an edit that lets the race reach it] */
const SENTINELS: readonly (readonly [string, string, string, string, (readonly [string, RegExp])?])[] = [
  ['pinned-page-buffers', 'try_to_free_buffers', 'fs/buffer.c', 'bool try_to_free_buffers(struct folio *folio)\n{\n',
    ['mm/vmscan.c', /\n\t\tif \(folio_maybe_dma_pinned\(folio\)\)\n\t\t\tgoto activate_locked;/]],
  ['buffer-migrate-lookup', 'buffer_migrate_folio_norefs', 'mm/migrate.c',
    'int buffer_migrate_folio_norefs(struct address_space *mapping,\n\t\tstruct folio *dst, struct folio *src, enum migrate_mode mode)\n{\n'],
  ['inode-writeback-lists', '__writeback_single_inode', 'fs/fs-writeback.c',
    '__writeback_single_inode(struct inode *inode, struct writeback_control *wbc)\n{\n'],
];

function run(scenario: string, tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(scenario);
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree, ...extra], {
    roots: scenarioRoots(race), checks: race.checks.map((c) => c.id), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE,
  });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  describe(`sentinels below the races on the real ${release} tree`, { skip: skipWithoutTree(tree, `sentinels below the races on the real ${release} tree`, release) }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
    for (const [scenario, fn, file, opening, reach] of SENTINELS) {
      it(`${fn} (${file}) runs from source in ${scenario}${reach ? ` (${reach[0]} edited to reach it)` : ''}, and a BUG() planted in it fires`, () => {
        const reached = reach ? [editedAt(tree!, reach[0], reach[1], '').copy] : [];
        const plain = run(scenario, tree!, reached);
        assert.notEqual(plain.verdict, 'error', plain.message);
        assert.equal(plain.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
        const { copy, line } = editedAt(tree!, file, opening, `${opening}\tBUG();\n`);
        const r = run(scenario, tree!, [...reached, copy]);
        assert.equal(r.verdict, 'violated', r.message);
        assert.equal(r.invariant, 'bug-on');
        assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}:${line + opening.split('\n').length - 1}\\b`));
      });
    }
  });
}
