/**
 * The names snapshot of a --src folder (catalog/tree-index.ts) answers only for the
 * listing it was made from: an edit to a header no run has read, which adds a
 * definition an edited caller now needs, is seen by the next run.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('a definition added to an unread header after the snapshot was made is found', async () => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-src-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-cache-'));
  try {
    fs.writeFileSync(path.join(src, 'caller.c'), 'int snapshot_caller(void)\n{\n\treturn snapshot_helper();\n}\n');
    fs.writeFileSync(path.join(src, 'other.h'), 'static inline int unrelated(void)\n{\n\treturn 2;\n}\n');
    // a listing with a file changed in the last 10 s gets no snapshot: let the files age
    await sleep(10_500);
    const run = (): { stats: SourceStats; helper: string | undefined } => {
      const stats = {} as SourceStats;
      const set = sourceModelSet('6.1', [src], { roots: ['snapshot_caller'], cache, stats });
      assert.equal(set.functions.get('snapshot_caller')?.from, 'source');
      return { stats, helper: set.functions.get('snapshot_helper')?.from };
    };
    assert.equal(run().helper, undefined);
    const trees = fs.readdirSync(fs.readdirSync(cache).map((b) => path.join(cache, b, 'trees')).find((d) => fs.existsSync(d))!);
    assert.ok(trees.some((f) => f.endsWith('.names')), `a names snapshot is written: ${trees.join(', ')}`);
    const warm = run();
    assert.equal(warm.helper, undefined);
    assert.equal(warm.stats.filesRead, 0, 'a warm run reads no source file');
    // the header gains the helper; its folder's mtime does not move
    fs.appendFileSync(path.join(src, 'other.h'), '\nstatic inline int snapshot_helper(void)\n{\n\treturn 1;\n}\n');
    assert.equal(run().helper, 'source');
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
