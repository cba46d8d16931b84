/**
 * buffer-migrate-lookup (issue 17, item 3) on the real 6.1 and 6.12 trees. Migration
 * runs from the tree: move_to_new_folio(), buffer_migrate_folio_norefs() (the block
 * device's ->migrate_folio), __buffer_migrate_folio(), set_bh_page() (6.1) or
 * folio_set_bh() (6.12), get_bh()/brelse(); the buffer lookup is the built-in
 * __find_get_block() in the tree's shape (no struct block_device in the model), said as
 * such. Both trees have ebdf4de5642f: they hold. A temporary copy of the tree's
 * mm/migrate.c with the fix reverted (private_lock dropped after the check) violates
 * update-lost-to-migration.
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

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-migrate-'));
const RACE = 'buffer-migrate-lookup';

function run(tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(RACE);
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.era, '6.1');
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['bdev'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

/** The tree's mm/migrate.c with ebdf4de5642f reverted, in a temporary folder. */
function reverted(tree: string, lock: string): string {
  let text = fs.readFileSync(path.join(tree, 'mm/migrate.c'), 'utf8');
  const checked = `\t\t\tbh = bh->b_this_page;\n\t\t} while (bh != head);\n\t\tif (busy) {\n\t\t\tif (invalidated) {\n\t\t\t\trc = -EAGAIN;\n\t\t\t\tgoto unlock_buffers;\n\t\t\t}\n\t\t\tspin_unlock(&mapping->${lock});\n`;
  assert.equal(text.split(checked).length, 2, 'the check of the buffers\' references is in mm/migrate.c once');
  text = text.replace(checked, `\t\t\tbh = bh->b_this_page;\n\t\t} while (bh != head);\n\t\tspin_unlock(&mapping->${lock});\n\t\tif (busy) {\n\t\t\tif (invalidated) {\n\t\t\t\trc = -EAGAIN;\n\t\t\t\tgoto unlock_buffers;\n\t\t\t}\n`);
  const tail = `unlock_buffers:\n\tif (check_refs)\n\t\tspin_unlock(&mapping->${lock});\n`;
  assert.equal(text.split(tail).length, 2);
  text = text.replace(tail, 'unlock_buffers:\n');
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-migrate-edit-')), 'migrate.c');
  fs.writeFileSync(copy, text);
  return copy;
}

for (const [release, lock, setBh] of [['6.1', 'private_lock', 'set_bh_page'], ['6.12', 'i_private_lock', 'folio_set_bh']] as const) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `buffer-migrate-lookup on the real ${release} tree`, release);
  describe(`buffer-migrate-lookup on the real ${release} tree`, { skip }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('holds, with migration from the tree and the built-in lookup said', () => {
      const r = run(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1, `${r.executions} executions`);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      for (const fn of ['move_to_new_folio', 'buffer_migrate_folio_norefs', '__buffer_migrate_folio', 'buffer_migrate_lock_buffers', setBh, 'get_bh', 'brelse']) {
        assert.equal(from(fn), 'source', fn);
      }
      assert.equal(from('__find_get_block'), 'builtin');
      assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && a.function === '__find_get_block'));
    });

    it('the tree\'s mm/migrate.c with ebdf4de5642f reverted: violated update-lost-to-migration', () => {
      const r = run(tree!, [reverted(tree!, lock)]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'update-lost-to-migration');
      assert.ok(r.trace!.some((row) => row.function === '__buffer_migrate_folio' && /migrate\.c$/.test(row.file ?? '')));
    });
  });
}
